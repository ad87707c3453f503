package io.redispatterns.leaderboard;

import java.time.Duration;

/**
 * Receives leaderboard events for metrics.
 */
public interface LeaderboardMetrics {

	/** Records nothing. */
	LeaderboardMetrics NONE = (board, operation, result, duration) -> {
	};

	/**
	 * Records one operation.
	 * @param board the board's name
	 * @param operation {@code record}, {@code record-if-higher}, {@code increment}, {@code top},
	 * {@code entry}, {@code around}, {@code range}, {@code trim}, {@code combine}
	 * @param result {@code applied}, {@code unchanged}, {@code duplicate}, {@code ok} or a failure
	 * kind ({@code unavailable}, {@code outcome-unknown}, {@code error})
	 * @param duration how long it took
	 */
	void operation(String board, String operation, String result, Duration duration);

}
