package io.redispatterns.leaderboard;

/**
 * A member's place on a board.
 * @param member the member (a player id)
 * @param rank the 1-based rank; equal points are ranked by who reached them first
 * @param points the member's points
 */
public record RankedEntry(String member, long rank, long points) {
}
