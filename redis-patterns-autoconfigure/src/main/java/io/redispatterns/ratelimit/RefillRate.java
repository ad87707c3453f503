package io.redispatterns.ratelimit;

import java.time.Duration;
import java.time.format.DateTimeParseException;

import org.springframework.boot.convert.DurationStyle;

/**
 * A token bucket's refill rate: {@code tokens} added every {@code period}, written
 * {@code 5/s}, {@code 100/1m}, {@code 1/500ms} or {@code 1000/1d}.
 *
 * @param tokens tokens added per period (positive)
 * @param period the period (at least one microsecond)
 */
public record RefillRate(long tokens, Duration period) {

	/**
	 * Validates the rate.
	 * @param tokens tokens added per period (positive)
	 * @param period the period (at least one microsecond)
	 */
	public RefillRate {
		if (tokens <= 0) {
			throw new IllegalArgumentException("refill tokens must be positive");
		}
		if (period.toNanos() < 1000) {
			throw new IllegalArgumentException("refill period must be at least 1us");
		}
	}

	/**
	 * Parses {@code <tokens>/<period>}, where the period is a unit ({@code ms}, {@code s},
	 * {@code m}, {@code h}, {@code d}) or a duration such as {@code 10s} or {@code PT1M}.
	 * @param text such as {@code 5/s}
	 * @return the rate
	 * @throws IllegalArgumentException when the text is not a positive rate
	 */
	public static RefillRate parse(String text) {
		int slash = text.indexOf('/');
		if (slash <= 0 || slash == text.length() - 1) {
			throw new IllegalArgumentException("expected <tokens>/<period> such as 5/s, got '" + text + "'");
		}
		try {
			long tokens = Long.parseLong(text.substring(0, slash).trim());
			String period = text.substring(slash + 1).trim();
			if (!period.isEmpty() && Character.isLetter(period.charAt(0)) && !period.startsWith("P")) {
				period = "1" + period;
			}
			return new RefillRate(tokens, DurationStyle.detectAndParse(period));
		}
		catch (NumberFormatException | DateTimeParseException ex) {
			throw new IllegalArgumentException("expected <tokens>/<period> such as 5/s, got '" + text + "'", ex);
		}
	}

	long periodMicros() {
		return this.period.toNanos() / 1000;
	}

	@Override
	public String toString() {
		return this.tokens + "/" + RateLimitPolicy.format(this.period);
	}

}
