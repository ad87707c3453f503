package io.redispatterns.leaderboard;

import java.time.LocalDate;
import java.util.List;

/**
 * One leaderboard: writes go to every configured period's current board in one script (atomic,
 * one round trip); reads pick a period through {@link #view(Period)}.
 */
public interface Leaderboard {

	/**
	 * Returns the board's name.
	 * @return the name
	 */
	String name();

	/**
	 * Returns the periods this board is written to.
	 * @return the periods
	 */
	List<Period> periods();

	/**
	 * Sets a member's points. Setting the points it already has changes nothing (it keeps the time
	 * it first reached them), so the call is safe to repeat.
	 * @param member the member
	 * @param points the points
	 * @return the points after the write
	 */
	ScoreUpdate record(String member, long points);

	/**
	 * Sets a member's points when they are higher than its current ones ("best score"). Safe to repeat.
	 * @param member the member
	 * @param points the candidate points
	 * @return the points after the write; {@code applied} is {@code false} when they were not higher
	 */
	ScoreUpdate recordIfHigher(String member, long points);

	/**
	 * Adds to a member's points (a negative delta subtracts). Not safe to repeat: when the reply is
	 * lost Lettuce re-sends it on reconnect, so it may count twice, or it raises
	 * {@link io.redispatterns.core.RedisOutcomeUnknownException}. Use
	 * {@link #increment(String, long, String)} when that matters.
	 * @param member the member
	 * @param delta the points to add
	 * @return the points after the write
	 */
	ScoreUpdate increment(String member, long delta);

	/**
	 * Adds to a member's points once per event id: the script records the id (under the board's
	 * hash tag, kept for {@code redis-patterns.leaderboard.idempotency-window}) and ignores a repeated id,
	 * so a re-sent or retried increment counts once.
	 * @param member the member
	 * @param delta the points to add
	 * @param eventId the increment's unique id (a request or event id)
	 * @return the points after the write; {@code applied} is {@code false} for a repeated id
	 */
	ScoreUpdate increment(String member, long delta, String eventId);

	/**
	 * Returns the current board of a period (per the configured clock and zone).
	 * @param period one of {@link #periods()}
	 * @return the board
	 */
	LeaderboardView view(Period period);

	/**
	 * Returns the board of a period that contains a day, such as yesterday's daily board.
	 * @param period one of {@link #periods()}
	 * @param day a day in the configured zone
	 * @return the board
	 */
	LeaderboardView view(Period period, LocalDate day);

}
