package io.redispatterns.queue;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delay between a failed attempt of a job and its next attempt: fixed, or exponential with a cap,
 * each optionally with jitter (a random part of the delay, spreading retries of many jobs that
 * failed together).
 * @param initial delay after the first failed attempt
 * @param multiplier factor applied per further attempt ({@code 1} for a fixed delay)
 * @param max longest delay
 * @param jitter fraction of the delay that is random, from {@code 0} (none) to {@code 1}
 */
public record Backoff(Duration initial, double multiplier, Duration max, double jitter) {

	/**
	 * Validates the back-off.
	 * @param initial delay after the first failed attempt
	 * @param multiplier factor per further attempt
	 * @param max longest delay
	 * @param jitter random fraction
	 */
	public Backoff {
		if (initial.isNegative() || max.compareTo(initial) < 0) {
			throw new IllegalArgumentException("Back-off needs 0 <= initial <= max: " + initial + ", " + max);
		}
		if (multiplier < 1 || jitter < 0 || jitter > 1) {
			throw new IllegalArgumentException(
					"Back-off needs multiplier >= 1 and 0 <= jitter <= 1: " + multiplier + ", " + jitter);
		}
	}

	/**
	 * The same delay after every failed attempt.
	 * @param delay the delay
	 * @return the back-off
	 */
	public static Backoff fixed(Duration delay) {
		return new Backoff(delay, 1, delay, 0);
	}

	/**
	 * A delay multiplied by {@code multiplier} after each failed attempt, at most {@code max}.
	 * @param initial delay after the first failed attempt
	 * @param multiplier factor per further attempt
	 * @param max longest delay
	 * @return the back-off
	 */
	public static Backoff exponential(Duration initial, double multiplier, Duration max) {
		return new Backoff(initial, multiplier, max, 0);
	}

	/**
	 * Returns this back-off with a random part of each delay.
	 * @param fraction the random fraction of the delay, from 0 to 1 (0.2: between 80 % and 100 %)
	 * @return a new back-off
	 */
	public Backoff withJitter(double fraction) {
		return new Backoff(this.initial, this.multiplier, this.max, fraction);
	}

	/**
	 * Computes the delay after a failed attempt.
	 * @param attempt the attempt that failed, from 1
	 * @return the delay before the next attempt
	 */
	public Duration delayAfter(int attempt) {
		double millis = this.initial.toMillis() * Math.pow(this.multiplier, Math.max(0, attempt - 1));
		millis = Math.min(millis, this.max.toMillis());
		if (this.jitter > 0) {
			millis = millis * (1 - this.jitter * ThreadLocalRandom.current().nextDouble());
		}
		return Duration.ofMillis(Math.round(millis));
	}

	/**
	 * Encodes the back-off as stored with a job: {@code initialMs:multiplier:maxMs:jitter}.
	 * @return the encoded form
	 */
	public String encode() {
		return this.initial.toMillis() + ":" + this.multiplier + ":" + this.max.toMillis() + ":" + this.jitter;
	}

	/**
	 * Decodes {@link #encode()}'s form.
	 * @param encoded the encoded back-off
	 * @return the back-off
	 */
	public static Backoff decode(String encoded) {
		String[] parts = encoded.split(":");
		return new Backoff(Duration.ofMillis(Long.parseLong(parts[0])), Double.parseDouble(parts[1]),
				Duration.ofMillis(Long.parseLong(parts[2])), Double.parseDouble(parts[3]));
	}

}
