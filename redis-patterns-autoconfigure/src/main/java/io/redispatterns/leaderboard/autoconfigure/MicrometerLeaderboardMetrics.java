package io.redispatterns.leaderboard.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.redispatterns.leaderboard.LeaderboardMetrics;

/**
 * Records leaderboard operations in Micrometer:
 * {@code redis.patterns.leaderboard.operations{board,operation,result}}.
 */
final class MicrometerLeaderboardMetrics implements LeaderboardMetrics {

	private final MeterRegistry registry;

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	MicrometerLeaderboardMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void operation(String board, String operation, String result, Duration duration) {
		this.timers.computeIfAbsent(board + '\0' + operation + '\0' + result, (key) -> Timer
			.builder("redis.patterns.leaderboard.operations")
			.description("Leaderboard reads and writes")
			.tag("board", board)
			.tag("operation", operation)
			.tag("result", result)
			.register(this.registry)).record(duration);
	}

}
