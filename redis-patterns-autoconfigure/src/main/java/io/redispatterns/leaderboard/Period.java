package io.redispatterns.leaderboard;

import java.util.Locale;

/**
 * The time span a board counts: one board per day, ISO week (Monday to Sunday), calendar month,
 * or one board for all time. Days start at midnight in the configured zone.
 */
public enum Period {

	/** One board that never rolls over. */
	ALL_TIME,

	/** One board per calendar day. */
	DAILY,

	/** One board per ISO week, Monday to Sunday. */
	WEEKLY,

	/** One board per calendar month. */
	MONTHLY;

	/**
	 * Parses {@code all-time}, {@code daily}, {@code weekly} or {@code monthly} (case and
	 * {@code _}/{@code -} insensitive).
	 * @param value the text
	 * @return the period
	 * @throws IllegalArgumentException for any other text
	 */
	public static Period parse(String value) {
		String normalized = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
		if (normalized.equals("ALLTIME") || normalized.equals("ALL")) {
			return ALL_TIME;
		}
		return Period.valueOf(normalized);
	}

	/**
	 * Returns the period's name as used in properties and URLs.
	 * @return {@code all-time}, {@code daily}, {@code weekly} or {@code monthly}
	 */
	public String displayName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
