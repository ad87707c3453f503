package io.redispatterns.stream.internal;

import java.time.Duration;

import io.redispatterns.core.RedisFailures;

/**
 * Internal: small helpers of the listener container (failure texts, bounded waits).
 */
final class Failures {

	private Failures() {
	}

	/** What went wrong, without class names (it is shown in health output). */
	static String failureText(Throwable ex) {
		return switch (RedisFailures.classify(ex)) {
			case UNAVAILABLE -> "Redis unavailable: " + RedisFailures.rootMessage(ex);
			case OUTCOME_UNKNOWN -> "No reply from Redis: " + RedisFailures.rootMessage(ex);
			case NOT_REDIS -> RedisFailures.rootMessage(ex);
		};
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
