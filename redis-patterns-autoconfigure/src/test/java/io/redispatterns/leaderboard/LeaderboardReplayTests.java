package io.redispatterns.leaderboard;

import java.time.Instant;

import io.redispatterns.leaderboard.LeaderboardTestSupport.MovableClock;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Increments whose reply is lost and that Lettuce re-sends after reconnecting: with an event id the
 * re-sent script finds the id and counts once; without one it counts twice (the documented
 * behaviour of a plain increment).
 */
@WithRedis
class LeaderboardReplayTests {

	RedisDeployment redis;

	@Test
	void aReSentIncrementCountsOnceWithAnEventIdAndTwiceWithout() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			LeaderboardTestSupport.runner(proxy::connectionDetails, new MovableClock(Instant.parse("2026-12-03T10:00:00Z")))
				.run((context) -> {
					Leaderboard board = context.getBean(Leaderboards.class).board("replayed");
					// loads the script, so the faulted command is the increment itself
					board.increment("warm-up", 1);
					proxy.dropReplyOnce("event-once", RedisProxy.Close.FIN);
					ScoreUpdate once = board.increment("ann", 10, "event-once");
					assertThat(proxy.forwardedCount("event-once")).as("the increment was re-sent").isEqualTo(2);
					assertThat(once.pointsIn(Period.ALL_TIME)).isEqualTo(10);
					assertThat(board.view(Period.ALL_TIME).entry("ann")).map(RankedEntry::points).contains(10L);

					proxy.dropReplyOnce("bob-without-id", RedisProxy.Close.FIN);
					board.increment("bob-without-id", 10);
					assertThat(proxy.forwardedCount("bob-without-id")).isEqualTo(2);
					assertThat(board.view(Period.ALL_TIME).entry("bob-without-id")).map(RankedEntry::points)
						.as("a plain increment re-sent by Lettuce counts twice")
						.contains(20L);
				});
		}
	}

}
