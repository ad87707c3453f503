/**
 * Internal: the Redis implementation of {@link io.redispatterns.leaderboard.Leaderboards} (boards,
 * views, the period windows their keys are named for) and its Actuator section, built by
 * {@link io.redispatterns.leaderboard.LeaderboardsBuilder} and {@code LeaderboardAutoConfiguration}. Not
 * part of the public API; use the types of {@link io.redispatterns.leaderboard} instead.
 */
@NullMarked
package io.redispatterns.leaderboard.internal;

import org.jspecify.annotations.NullMarked;
