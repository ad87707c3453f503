package io.redispatterns.leaderboard;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
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

	/**
	 * Returns the window of this period that contains {@code date}; for {@link #ALL_TIME} the
	 * single all-time window.
	 * @param date a day in the zone
	 * @param zone the zone days are counted in
	 * @return the window
	 */
	Window windowOf(LocalDate date, ZoneId zone) {
		return switch (this) {
			case ALL_TIME -> throw new IllegalStateException("The all-time window has no calendar start");
			case DAILY -> new Window("d" + date, start(date, zone), start(date.plusDays(1), zone));
			case WEEKLY -> {
				LocalDate monday = date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
				String label = String.format(Locale.ROOT, "w%d-W%02d", monday.get(IsoFields.WEEK_BASED_YEAR),
						monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
				yield new Window(label, start(monday, zone), start(monday.plusWeeks(1), zone));
			}
			case MONTHLY -> {
				LocalDate first = date.withDayOfMonth(1);
				yield new Window(String.format(Locale.ROOT, "m%d-%02d", first.getYear(), first.getMonthValue()),
						start(first, zone), start(first.plusMonths(1), zone));
			}
		};
	}

	private static long start(LocalDate date, ZoneId zone) {
		return ZonedDateTime.of(date.atStartOfDay(), zone).toInstant().toEpochMilli();
	}

	/**
	 * One board's time span.
	 * @param label the key suffix, such as {@code d2026-12-03}, {@code w2026-W49}, {@code m2026-12} or {@code all}
	 * @param startMillis the first instant of the window (epoch milliseconds)
	 * @param endMillis the first instant after the window (epoch milliseconds)
	 */
	record Window(String label, long startMillis, long endMillis) {
	}

}
