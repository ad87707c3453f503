package io.redispatterns.leaderboard;

import java.util.List;
import java.util.Optional;

/**
 * One sorted set of a leaderboard: a period's window or a combination. Ranks are 1-based,
 * highest points first; among equal points, whoever reached them first ranks higher.
 */
public interface LeaderboardView {

	/**
	 * Returns the board's name.
	 * @return the name
	 */
	String boardName();

	/**
	 * Returns the hash-tag group the board belongs to.
	 * @return the group
	 */
	String group();

	/**
	 * Returns the window, such as {@code all}, {@code d2026-12-03} or {@code combined}.
	 * @return the window label
	 */
	String window();

	/**
	 * Returns the best members ({@code ZREVRANGE 0 n-1 WITHSCORES}).
	 * @param n how many
	 * @return at most {@code n} entries, best first
	 */
	List<RankedEntry> top(int n);

	/**
	 * Returns a page of the board.
	 * @param fromRank the first rank (1-based)
	 * @param count how many
	 * @return at most {@code count} entries
	 */
	List<RankedEntry> range(long fromRank, int count);

	/**
	 * Returns a member's rank and points (one script: one round trip, one consistent read).
	 * @param member the member
	 * @return the entry, or empty when the board does not hold the member
	 */
	Optional<RankedEntry> entry(String member);

	/**
	 * Returns the members ranked around a member: up to {@code radius} above, the member, up to
	 * {@code radius} below (one script).
	 * @param member the member
	 * @param radius how many on each side
	 * @return the entries, best first; empty when the board does not hold the member
	 */
	List<RankedEntry> around(String member, int radius);

	/**
	 * Returns the number of members.
	 * @return the size
	 */
	long size();

	/**
	 * Keeps only the best {@code k} members ({@code ZREMRANGEBYRANK}).
	 * @param k how many to keep
	 * @return how many were removed
	 */
	long trimToTop(int k);

	/**
	 * Removes a member.
	 * @param member the member
	 * @return whether it was there
	 */
	boolean remove(String member);

	/**
	 * Pairs this board with a weight for {@link Leaderboards#combine}.
	 * @param weight a positive integer
	 * @return the pair
	 */
	default Leaderboards.Weighted weighted(int weight) {
		return new Leaderboards.Weighted(this, weight);
	}

}
