/**
 * Leaderboards on Redis sorted sets: {@link io.redispatterns.leaderboard.Leaderboards} (add, set or
 * increment a score, top N with ranks, a member's rank, a page around a member), ties broken by who
 * reached the score first ({@link io.redispatterns.leaderboard.TieBreakEncoding}), periodic boards
 * (daily, weekly, monthly, all time) and weighted combinations.
 */
@NullMarked
package io.redispatterns.leaderboard;

import org.jspecify.annotations.NullMarked;
