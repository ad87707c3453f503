package io.redispatterns.lock.internal;

import java.time.Duration;

import io.redispatterns.lock.LockOptions;

/**
 * Duration helpers that never overflow.
 */
final class Durations {

	private Durations() {
	}

	static long nanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
		}
	}

	static long deadline(long startNanos, Duration duration) {
		long nanos = nanos(duration);
		long deadline = startNanos + nanos;
		return (nanos > 0 && deadline < startNanos) ? Long.MAX_VALUE : deadline;
	}

	static String format(Duration duration) {
		if (duration.equals(LockOptions.WAIT_FOREVER)) {
			return "no limit";
		}
		if (duration.toMillis() % 1000 == 0) {
			return duration.toSeconds() + "s";
		}
		return duration.toMillis() + "ms";
	}

}
