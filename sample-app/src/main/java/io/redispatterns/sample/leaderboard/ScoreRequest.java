package io.redispatterns.sample.leaderboard;

import org.jspecify.annotations.Nullable;

/**
 * Points scored by a player; an optional event id makes a retried request count once.
 * @param player the player
 * @param points the points scored
 * @param eventId the request's unique id, or {@code null}
 */
record ScoreRequest(String player, long points, @Nullable String eventId) {
}
