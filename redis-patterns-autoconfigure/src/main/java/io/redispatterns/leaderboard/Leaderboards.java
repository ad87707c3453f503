package io.redispatterns.leaderboard;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.redispatterns.core.RedisKeys;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Leaderboards on Redis sorted sets: one {@link Leaderboard} per name, each written to its
 * configured period boards (all time, daily, weekly, monthly) in one script, read per period.
 * <p>
 * Keys: {@code <prefix>:lb:{<group>}:<board>:<window>} (window {@code all}, {@code d2026-12-03},
 * {@code w2026-W49}, {@code m2026-12}); the group is the board's name unless configured, so every
 * board of one group lives in one Cluster slot and can be {@link #combine combined}.
 * <p>
 * Failures: a read or write that Redis refuses or cannot take raises
 * {@link io.redispatterns.core.RedisUnavailableException} (nothing applied); a write whose reply is
 * lost raises {@link io.redispatterns.core.RedisOutcomeUnknownException}. {@code record} and
 * {@code recordIfHigher} are safe to repeat; an increment is safe to repeat only with an event id
 * ({@link Leaderboard#increment(String, long, String)}), because Lettuce re-sends a command whose
 * reply was lost when it reconnects.
 */
public interface Leaderboards {

	/**
	 * Returns the board of a name, with its configured settings (or the defaults).
	 * @param name the board's name
	 * @return the board
	 */
	Leaderboard board(String name);

	/**
	 * Stores the weighted sum of boards ({@code ZUNIONSTORE ... WEIGHTS ... AGGREGATE SUM}) as the
	 * combined board {@code destination} of their group, replacing it, with a time to live. All
	 * sources must belong to one group (one Cluster slot). Points are exact when the weights are
	 * positive integers that sum to at most {@link TieBreakEncoding#maxWeightSum()}.
	 * @param destination the combined board's name
	 * @param ttl how long the combined board is kept
	 * @param sources the boards and their weights
	 * @return the combined board
	 * @throws IllegalArgumentException when sources are in different groups or weights are out of range
	 */
	LeaderboardView combine(String destination, Duration ttl, List<Weighted> sources);

	/**
	 * Returns a combined board stored by {@link #combine}.
	 * @param group the group of its sources
	 * @param destination the combined board's name
	 * @return the combined board (empty when it expired or was never stored)
	 */
	LeaderboardView combined(String group, String destination);

	/**
	 * Starts building leaderboards.
	 * @param redis the template to run commands with
	 * @param keys the key builder
	 * @return a builder
	 */
	static LeaderboardsBuilder builder(StringRedisTemplate redis, RedisKeys keys) {
		return new LeaderboardsBuilder(redis, keys);
	}

	/**
	 * A board and its weight in a combination.
	 * @param view the board
	 * @param weight a positive integer weight
	 */
	record Weighted(LeaderboardView view, int weight) {
	}

	/**
	 * Returns the clock that decides the current windows.
	 * @return the clock
	 */
	Clock clock();

}
