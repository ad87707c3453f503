package io.redispatterns.lock.internal;

import java.time.Duration;

import io.redispatterns.core.RedisKeys;
import io.redispatterns.lock.LockMetrics;
import io.redispatterns.lock.LockTemplate;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Assembles the Redis lock template and its parts. The public way in is
 * {@code LockTemplate.builder(..).build()}, which calls this with the values it collected; this class
 * never refers back to the builder (an {@code ArchitectureTests} rule keeps the API package's entry points
 * one-way), so the implementation's parts stay out of the public API.
 */
public final class LockTemplateFactory {

	private LockTemplateFactory() {
	}

	/**
	 * Creates the template (the builder's javadoc explains every value).
	 * @param redisTemplate the template to run commands with
	 * @param keys the key builder
	 * @param defaultLease the lease when a call names none
	 * @param defaultWait the wait when a call names none
	 * @param watchdog whether leases are renewed by default
	 * @param watchdogThreads the threads that renew leases
	 * @param fallbackPoll how often waiters poll when no wake-up arrives
	 * @param waitForReplicas replicas that acknowledge an acquire ({@code 0}: none)
	 * @param waitForReplicasTimeout how long an acquire waits for them
	 * @param metrics where to report
	 * @param eventPublisher publishes lost leases
	 * @param wakeUps whether waiters are woken over pub/sub
	 * @return the template, to be closed when no longer used
	 */
	public static LockTemplate create(StringRedisTemplate redisTemplate, RedisKeys keys, Duration defaultLease,
			Duration defaultWait, boolean watchdog, int watchdogThreads, Duration fallbackPoll, int waitForReplicas,
			Duration waitForReplicasTimeout, LockMetrics metrics, ApplicationEventPublisher eventPublisher,
			boolean wakeUps) {
		RedisConnectionFactory connectionFactory = redisTemplate.getRequiredConnectionFactory();
		Duration commandTimeout = (connectionFactory instanceof LettuceConnectionFactory lettuce)
				? lettuce.getClientConfiguration().getCommandTimeout() : Duration.ofSeconds(60);
		LockSettings settings = new LockSettings(defaultLease, defaultWait, watchdog, fallbackPoll, waitForReplicas,
				waitForReplicasTimeout, commandTimeout);
		LockWakeUps lockWakeUps = wakeUps ? LettuceLockWakeUps.of(connectionFactory) : LockWakeUps.pollingOnly();
		ReplicaAcknowledgedAcquirer replicaAcquirer = null;
		if (waitForReplicas > 0) {
			if (!(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
				throw new IllegalStateException("waitForReplicas needs a Lettuce connection factory");
			}
			replicaAcquirer = new ReplicaAcknowledgedAcquirer(lettuce, waitForReplicas, waitForReplicasTimeout);
		}
		return new RedisLockTemplate(new LockCommands(redisTemplate, replicaAcquirer), new LockKeys(keys), settings,
				metrics, lockWakeUps, new LockWatchdog(watchdogThreads), eventPublisher);
	}

}
