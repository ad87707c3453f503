/**
 * Auto-configuration of leaderboards.
 */
@NullMarked
package io.redispatterns.leaderboard.autoconfigure;

import org.jspecify.annotations.NullMarked;
