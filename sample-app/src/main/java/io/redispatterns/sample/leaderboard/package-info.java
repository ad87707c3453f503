/**
 * Leaderboards: an arcade's scores on daily, weekly, monthly and all-time boards.
 */
@NullMarked
package io.redispatterns.sample.leaderboard;

import org.jspecify.annotations.NullMarked;
