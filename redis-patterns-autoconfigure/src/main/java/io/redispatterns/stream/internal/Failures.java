package io.redispatterns.stream.internal;

import java.time.Duration;

import io.redispatterns.core.RedisFailures;
import org.jspecify.annotations.Nullable;

/**
 * Internal: small helpers of the listener container (failure texts, bounded waits).
 */
final class Failures {

	private Failures() {
	}

	/** What went wrong, without class names (it is shown in health output). */
	static String failureText(Throwable ex) {
		return switch (RedisFailures.classify(ex)) {
			case UNAVAILABLE -> "Redis unavailable: " + rootMessage(ex);
			case OUTCOME_UNKNOWN -> "No reply from Redis: " + rootMessage(ex);
			case NOT_REDIS -> rootMessage(ex);
		};
	}

	static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		if (message == null) {
			return root.getClass().getSimpleName();
		}
		int newline = message.indexOf('\n');
		return (newline > 0) ? message.substring(0, newline) : message;
	}

	/** Joins a thread for at most {@code timeout}; returns whether it ended. */
	static boolean join(@Nullable Thread thread, Duration timeout) {
		if (thread == null || thread == Thread.currentThread()) {
			return true;
		}
		try {
			thread.join(timeout.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return !thread.isAlive();
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
