package io.redispatterns.leaderboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.lettuce.core.cluster.SlotHash;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.leaderboard.LeaderboardTestSupport.MovableClock;
import io.redispatterns.test.ClusterRedis;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leaderboards on a 3-master Redis Cluster: every period board of a group (and the event ids)
 * share the group's slot, so multi-board writes and combinations run without cross-slot errors.
 */
@WithRedis(topology = RedisTopology.CLUSTER)
class LeaderboardClusterTests {

	ClusterRedis redis;

	@Test
	void periodicWritesEventIdsAndCombinationsOfOneGroupRunInOneSlot() {
		MovableClock clock = new MovableClock(Instant.parse("2026-12-03T10:00:00Z"));
		LeaderboardTestSupport.runner(this.redis, clock)
			.withPropertyValues("redis-patterns.leaderboard.periods=all-time,daily,weekly,monthly",
					"redis-patterns.leaderboard.boards.solo.group=league",
					"redis-patterns.leaderboard.boards.duo.group=league")
			.run((context) -> {
				Leaderboards leaderboards = context.getBean(Leaderboards.class);
				RedisKeys keys = context.getBean(RedisKeys.class);
				int slot = slot(keys.namespace("lb") + "{league}:solo:all");
				assertThat(slot(keys.namespace("lb") + "{league}:duo:d2026-12-03")).isEqualTo(slot);
				assertThat(slot(keys.namespace("lb") + "{league}:season:combined")).isEqualTo(slot);
				// boards of other names spread over the masters
				for (int i = 0; i < 12; i++) {
					Leaderboard board = leaderboards.board("board-" + i);
					board.increment("ann", i + 1, "event-" + i);
					assertThat(board.increment("ann", i + 1, "event-" + i).applied()).isFalse();
					assertThat(board.view(Period.WEEKLY).entry("ann")).contains(new RankedEntry("ann", 1, i + 1));
				}
				Leaderboard solo = leaderboards.board("solo");
				Leaderboard duo = leaderboards.board("duo");
				solo.increment("ann", 10);
				solo.increment("bob", 4);
				duo.increment("bob", 2);
				LeaderboardView season = leaderboards.combine("season", Duration.ofMinutes(5),
						List.of(solo.view(Period.DAILY).weighted(1), duo.view(Period.DAILY).weighted(2)));
				assertThat(season.top(5)).containsExactly(new RankedEntry("ann", 1, 10), new RankedEntry("bob", 2, 8));
				assertThat(season.around("bob", 1)).extracting(RankedEntry::member).containsExactly("ann", "bob");
			});
	}

	private static int slot(String key) {
		return SlotHash.getSlot(key.getBytes(StandardCharsets.UTF_8));
	}

}
