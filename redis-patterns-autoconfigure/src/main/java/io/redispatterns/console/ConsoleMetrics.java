package io.redispatterns.console;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Counts read from the application's meters for console pages: the total since start and the
 * increase over the recent window (jobs completed in the last minutes, rate-limit decisions, cache
 * gets), grouped by tags.
 */
public interface ConsoleMetrics {

	/** No meters: every count is absent. */
	ConsoleMetrics NONE = new ConsoleMetrics() {

		@Override
		public Map<List<String>, Counts> counts(String meter, String... groupBy) {
			return Map.of();
		}

		@Override
		public Duration window() {
			return Duration.ZERO;
		}

	};

	/**
	 * Sums a counter (or a timer's count) by the values of some of its tags.
	 * @param meter the meter's name, such as {@code redis.patterns.queue.jobs}
	 * @param groupBy the tags whose values form a row's key, in order
	 * @return a row per tag-value combination
	 */
	Map<List<String>, Counts> counts(String meter, String... groupBy);

	/**
	 * Returns the window the recent counts cover (shorter right after start).
	 * @return the window
	 */
	Duration window();

	/**
	 * The counts of one row.
	 *
	 * @param total since the application started
	 * @param recent over the recent window
	 */
	record Counts(long total, long recent) {

	}

}
