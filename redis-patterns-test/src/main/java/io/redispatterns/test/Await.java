package io.redispatterns.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes. Exceptions thrown by the condition count
 * as "not yet" (a node may be restarting); the last one is attached to the timeout exception.
 */
final class Await {

	private static final long POLL_MILLIS = 50;

	private Await() {
	}

	static void until(Duration timeout, Supplier<String> description, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		RuntimeException last = null;
		while (true) {
			try {
				if (condition.getAsBoolean()) {
					return;
				}
			}
			catch (RuntimeException ex) {
				last = ex;
			}
			if (System.nanoTime() > deadline) {
				String message = "Timed out after " + timeout.toMillis() + " ms waiting for " + description.get();
				throw (last != null) ? new RedisStartException(message, last) : new RedisStartException(message);
			}
			sleep(POLL_MILLIS);
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for redis-server", ex);
		}
	}

}
