package io.redispatterns.lock;

import java.time.Duration;

import io.redispatterns.core.RedisKeys;
import io.redispatterns.lock.internal.LockTemplateFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Builds a {@link LockTemplate}; see {@link LockTemplate#builder(StringRedisTemplate, RedisKeys)}.
 * The defaults are those of {@code redis-patterns.lock.*}.
 */
public final class LockTemplateBuilder {

	private final StringRedisTemplate redisTemplate;

	private final RedisKeys keys;

	private Duration defaultLease = Duration.ofSeconds(30);

	private Duration defaultWait = Duration.ZERO;

	private boolean watchdog = true;

	private int watchdogThreads = 2;

	private Duration fallbackPoll = Duration.ofSeconds(1);

	private int waitForReplicas;

	private Duration waitForReplicasTimeout = Duration.ofSeconds(1);

	private LockMetrics metrics = LockMetrics.NONE;

	private boolean wakeUps = true;

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	LockTemplateBuilder(StringRedisTemplate redisTemplate, RedisKeys keys) {
		this.redisTemplate = redisTemplate;
		this.keys = keys;
	}

	/**
	 * Sets the lease used when none is given.
	 * @param defaultLease the lease (at least 1ms)
	 * @return this builder
	 */
	public LockTemplateBuilder defaultLease(Duration defaultLease) {
		this.defaultLease = requirePositive(defaultLease, "defaultLease");
		return this;
	}

	/**
	 * Sets the wait used when none is given.
	 * @param defaultWait the wait (zero for a single attempt)
	 * @return this builder
	 */
	public LockTemplateBuilder defaultWait(Duration defaultWait) {
		if (defaultWait.isNegative()) {
			throw new IllegalArgumentException("defaultWait must not be negative");
		}
		this.defaultWait = defaultWait;
		return this;
	}

	/**
	 * Sets whether {@code executeWithLock} and the {@code Lock} view renew leases by default.
	 * @param watchdog whether to renew
	 * @return this builder
	 */
	public LockTemplateBuilder watchdog(boolean watchdog) {
		this.watchdog = watchdog;
		return this;
	}

	/**
	 * Sets the number of threads that renew leases.
	 * @param threads at least 1
	 * @return this builder
	 */
	public LockTemplateBuilder watchdogThreads(int threads) {
		if (threads < 1) {
			throw new IllegalArgumentException("watchdogThreads must be at least 1");
		}
		this.watchdogThreads = threads;
		return this;
	}

	/**
	 * Sets the longest a waiter sleeps without a wake-up message before it retries (each sleep is
	 * a random time between half of this and this).
	 * @param fallbackPoll the poll interval (at least 1ms)
	 * @return this builder
	 */
	public LockTemplateBuilder fallbackPoll(Duration fallbackPoll) {
		this.fallbackPoll = requirePositive(fallbackPoll, "fallbackPoll");
		return this;
	}

	/**
	 * Makes every acquisition wait until this many replicas acknowledged it ({@code WAIT}).
	 * @param replicas the number of replicas, 0 to not wait
	 * @param timeout how long to wait for them
	 * @return this builder
	 */
	public LockTemplateBuilder waitForReplicas(int replicas, Duration timeout) {
		if (replicas < 0) {
			throw new IllegalArgumentException("waitForReplicas must not be negative");
		}
		this.waitForReplicas = replicas;
		this.waitForReplicasTimeout = requirePositive(timeout, "waitForReplicasTimeout");
		return this;
	}

	/**
	 * Sets where lock events are recorded.
	 * @param metrics the metrics
	 * @return this builder
	 */
	public LockTemplateBuilder metrics(LockMetrics metrics) {
		this.metrics = metrics;
		return this;
	}

	/**
	 * Sets where {@link LockLostEvent}s go (the auto-configuration passes the application
	 * context). By default they are only logged and counted.
	 * @param eventPublisher the publisher, for example {@code event -> alerts.send(event)}
	 * @return this builder
	 */
	public LockTemplateBuilder eventPublisher(ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
		return this;
	}

	/**
	 * Sets whether waiters subscribe to release messages (otherwise they only poll).
	 * @param wakeUps whether to subscribe
	 * @return this builder
	 */
	public LockTemplateBuilder wakeUps(boolean wakeUps) {
		this.wakeUps = wakeUps;
		return this;
	}

	/**
	 * Builds the template. It is {@link AutoCloseable}: close it to stop its watchdog threads and
	 * its pub/sub connection (a Spring bean is closed by the container).
	 * @return the template
	 */
	public LockTemplate build() {
		return LockTemplateFactory.create(this.redisTemplate, this.keys, this.defaultLease, this.defaultWait,
				this.watchdog, this.watchdogThreads, this.fallbackPoll, this.waitForReplicas,
				this.waitForReplicasTimeout, this.metrics, this.eventPublisher, this.wakeUps);
	}

	private static Duration requirePositive(Duration duration, String what) {
		if (duration.isNegative() || duration.toMillis() < 1) {
			throw new IllegalArgumentException(what + " must be at least 1ms, was " + duration);
		}
		return duration;
	}

}
