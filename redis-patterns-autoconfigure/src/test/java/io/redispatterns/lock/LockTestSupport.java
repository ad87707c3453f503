package io.redispatterns.lock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.lock.autoconfigure.LockActuatorAutoConfiguration;
import io.redispatterns.lock.autoconfigure.LockAutoConfiguration;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisProxy;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Builds application contexts with the lock auto-configuration against a real Redis.
 */
final class LockTestSupport {

	private LockTestSupport() {
	}

	/** A runner whose key prefix is unique, so tests sharing a server never see each other's locks. */
	static ApplicationContextRunner runner(RedisDeployment deployment) {
		return runner(deployment, "locktest-" + UUID.randomUUID().toString().substring(0, 8));
	}

	static ApplicationContextRunner runner(RedisDeployment deployment, String prefix) {
		return runner(deployment::connectionDetails, prefix);
	}

	/** A runner connected through a fault-injecting proxy. */
	static ApplicationContextRunner runner(RedisProxy proxy) {
		return runner(proxy::connectionDetails, "locktest-" + UUID.randomUUID().toString().substring(0, 8));
	}

	private static ApplicationContextRunner runner(Supplier<DataRedisConnectionDetails> connectionDetails,
			String prefix) {
		return new ApplicationContextRunner()
			.withBean(DataRedisConnectionDetails.class, connectionDetails)
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, LockAutoConfiguration.class,
					LockActuatorAutoConfiguration.class))
			.withPropertyValues("redis-patterns.key-prefix=" + prefix, "spring.data.redis.timeout=2s");
	}

	static void awaitTrue(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Timed out waiting until " + what);
			}
			sleep(5);
		}
	}

	/**
	 * Waits until the thread has registered as a waiter and is parked in the wake-up's wait (not in
	 * a round trip to Redis), so what wakes it next is the release message or the fallback poll.
	 */
	static void awaitParkedOnWakeUp(AtomicReference<Thread> waiting) {
		awaitTrue("the waiter is parked on its wake-up", () -> {
			Thread thread = waiting.get();
			if (thread == null || (thread.getState() != Thread.State.TIMED_WAITING
					&& thread.getState() != Thread.State.WAITING)) {
				return false;
			}
			for (StackTraceElement frame : thread.getStackTrace()) {
				if (frame.getClassName().equals("io.redispatterns.lock.internal.LockWakeUps$Waiter")
						&& frame.getMethodName().equals("await")) {
					return true;
				}
			}
			return false;
		});
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Returns "median=..ms p99=..ms n=.." for nanosecond samples. */
	static String percentiles(List<Long> nanos) {
		List<Long> sorted = new ArrayList<>(nanos);
		Collections.sort(sorted);
		double median = sorted.get(sorted.size() / 2) / 1_000_000.0;
		double p99 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)) / 1_000_000.0;
		return String.format("median=%.2fms p99=%.2fms max=%.2fms n=%d", median, p99,
				sorted.get(sorted.size() - 1) / 1_000_000.0, sorted.size());
	}

}
