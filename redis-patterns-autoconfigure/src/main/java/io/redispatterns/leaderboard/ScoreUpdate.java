package io.redispatterns.leaderboard;

import java.util.Map;

/**
 * The result of a write to a leaderboard.
 * @param member the member written
 * @param applied {@code false} when nothing changed: an increment whose event id was already
 * applied, a {@code recordIfHigher} that was not higher, or a {@code record} of the same points
 * (which keeps the time they were first reached)
 * @param points the member's points after the write, per period board written
 */
public record ScoreUpdate(String member, boolean applied, Map<Period, Long> points) {

	/**
	 * Returns the points on one period's current board.
	 * @param period the period
	 * @return the points, or {@code 0} when the board does not hold the member
	 */
	public long pointsIn(Period period) {
		Long value = this.points.get(period);
		return (value != null) ? value : 0;
	}

}
