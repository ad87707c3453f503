package io.redispatterns.leaderboard.internal;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

import io.redispatterns.leaderboard.Period;

/**
 * One board's time span.
 *
 * @param label the key suffix, such as {@code d2026-12-03}, {@code w2026-W49}, {@code m2026-12} or {@code all}
 * @param startMillis the first instant of the window (epoch milliseconds)
 * @param endMillis the first instant after the window (epoch milliseconds)
 */
record PeriodWindow(String label, long startMillis, long endMillis) {

	/**
	 * Returns the window of a calendar period that contains {@code date} (the all-time window has no
	 * calendar start: the leaderboards configure it).
	 * @param period a calendar period
	 * @param date a day in the zone
	 * @param zone the zone days are counted in
	 * @return the window
	 */
	static PeriodWindow of(Period period, LocalDate date, ZoneId zone) {
		return switch (period) {
			case ALL_TIME -> throw new IllegalStateException("The all-time window has no calendar start");
			case DAILY -> new PeriodWindow("d" + date, start(date, zone), start(date.plusDays(1), zone));
			case WEEKLY -> {
				LocalDate monday = date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
				String label = String.format(Locale.ROOT, "w%d-W%02d", monday.get(IsoFields.WEEK_BASED_YEAR),
						monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
				yield new PeriodWindow(label, start(monday, zone), start(monday.plusWeeks(1), zone));
			}
			case MONTHLY -> {
				LocalDate first = date.withDayOfMonth(1);
				yield new PeriodWindow(String.format(Locale.ROOT, "m%d-%02d", first.getYear(), first.getMonthValue()),
						start(first, zone), start(first.plusMonths(1), zone));
			}
		};
	}

	private static long start(LocalDate date, ZoneId zone) {
		return ZonedDateTime.of(date.atStartOfDay(), zone).toInstant().toEpochMilli();
	}

}
