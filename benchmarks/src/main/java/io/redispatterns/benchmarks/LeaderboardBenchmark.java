package io.redispatterns.benchmarks;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.redispatterns.leaderboard.Leaderboard;
import io.redispatterns.leaderboard.LeaderboardView;
import io.redispatterns.leaderboard.Leaderboards;
import io.redispatterns.leaderboard.Period;
import io.redispatterns.test.StandaloneRedis;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Leaderboards: the top-10 read and an increment, redis-patterns {@link Leaderboards} next to raw
 * Lettuce ({@code ZREVRANGE ... WITHSCORES}, {@code ZINCRBY}) on a board of 10,000 members.
 */
final class LeaderboardBenchmark {

	private static final int MEMBERS = 10_000;

	private LeaderboardBenchmark() {
	}

	static String run(StandaloneRedis redis, CommandCounter counter) {
		StringBuilder out = new StringBuilder();
		RedisClient client = RedisClient.create(redis.node().uri());
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(redis);
				StatefulRedisConnection<String, String> connection = client.connect()) {
			Leaderboards leaderboards = context.getBean(Leaderboards.class);
			RedisCommands<String, String> raw = connection.sync();
			Leaderboard board = leaderboards.board("bench");
			Leaderboard periodic = leaderboards.board("bench-periodic");
			for (int i = 0; i < MEMBERS; i++) {
				board.record("player-" + i, ThreadLocalRandom.current().nextLong(1_000_000));
				raw.zadd("bench-raw", ThreadLocalRandom.current().nextLong(1_000_000), "player-" + i);
			}
			LeaderboardView allTime = board.view(Period.ALL_TIME);
			Harness.Case topCeiling = new Harness.Case("ceiling: Lettuce ZREVRANGE 0 9 WITHSCORES", "", (thread) -> (i) -> {
				List<ScoredValue<String>> top = raw.zrevrangeWithScores("bench-raw", 0, 9);
				return top.size() == 10;
			});
			out.append(Harness.ceilingTable("Leaderboard top 10 of " + MEMBERS + " members (with ranks and decoded points), "
					+ "ratio to raw Lettuce on its own connection",
					Harness.measureAgainstCeiling(topCeiling, List.of(new Harness.Case(
							"redis-patterns Leaderboards view(ALL_TIME).top(10)", "",
							(thread) -> (i) -> allTime.top(10).size() == 10)), counter)));
			Harness.Case incrementCeiling = new Harness.Case("ceiling: Lettuce ZINCRBY", "", (thread) -> (i) -> {
				raw.zincrby("bench-raw", 1, "player-" + (i % MEMBERS));
				return true;
			});
			out.append(Harness.ceilingTable("Leaderboard increment (a random member of " + MEMBERS
					+ "), ratio to raw Lettuce ZINCRBY (no tie-break, no periods, not replay-safe)",
					Harness.measureAgainstCeiling(incrementCeiling, List.of(
							new Harness.Case("redis-patterns increment, all-time board (script)", "",
									(thread) -> (i) -> board.increment("player-" + (i % MEMBERS), 1).applied()),
							new Harness.Case("redis-patterns increment with event id (replay-safe)", "",
									(thread) -> (i) -> board.increment("player-" + (i % MEMBERS), 1,
											"t" + thread + "-" + i + "-" + System.nanoTime()).applied()),
							new Harness.Case("redis-patterns increment, 4 period boards in one script", "",
									(thread) -> (i) -> periodic.increment("player-" + (i % MEMBERS), 1).applied())),
							counter)));
		}
		finally {
			client.shutdown();
		}
		return out.toString();
	}

}
