package io.redispatterns.leaderboard.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.leaderboard.BoardSettings;
import io.redispatterns.leaderboard.LeaderboardMetrics;
import io.redispatterns.leaderboard.Leaderboards;
import io.redispatterns.leaderboard.LeaderboardsBuilder;
import io.redispatterns.leaderboard.Period;
import io.redispatterns.leaderboard.TieBreakEncoding;
import io.redispatterns.leaderboard.internal.LeaderboardEndpointDetails;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Auto-configuration of leaderboards: the {@link Leaderboards} bean (its clock is the
 * application's {@link Clock} bean when there is one), Micrometer metrics and the {@code leaderboard}
 * section of the {@code redispatterns} endpoint. Turn it off with
 * {@code redis-patterns.leaderboard.enabled=false}.
 */
@AutoConfiguration(after = RedisPatternsAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnBean({ RedisKeys.class, StringRedisTemplate.class })
@ConditionalOnBooleanProperty(name = "redis-patterns.leaderboard.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LeaderboardProperties.class)
public final class LeaderboardAutoConfiguration {

	static final String PREFIX = "redis-patterns.leaderboard.";

	@Bean
	@ConditionalOnMissingBean
	Leaderboards redisPatternsLeaderboards(StringRedisTemplate redis, RedisKeys keys, LeaderboardProperties properties,
			ObjectProvider<Clock> clock, ObjectProvider<LeaderboardMetrics> metrics) {
		validate(properties);
		LeaderboardsBuilder builder = Leaderboards.builder(redis, keys)
			.clock(clock.getIfUnique(Clock::systemUTC))
			.zone(properties.getZone())
			.scoreBits(properties.getScoreBits())
			.allTimeWindow(properties.getAllTimeEpoch(), properties.getAllTimeHorizon())
			.eventIdTtl(properties.getIdempotencyWindow())
			.defaults(new BoardSettings(properties.getPeriods(), "", properties.getRetention(),
					properties.getAllTimeIdleTtl(), properties.getKeepTop()))
			.metrics(metrics.getIfAvailable(() -> LeaderboardMetrics.NONE));
		for (Map.Entry<String, LeaderboardProperties.Board> entry : properties.getBoards().entrySet()) {
			LeaderboardProperties.Board board = entry.getValue();
			builder.board(entry.getKey(), new BoardSettings(orDefault(board.getPeriods(), properties.getPeriods()),
					orDefault(board.getGroup(), ""), orDefault(board.getRetention(), properties.getRetention()),
					orDefault(board.getAllTimeIdleTtl(), properties.getAllTimeIdleTtl()),
					orDefault(board.getKeepTop(), properties.getKeepTop())));
		}
		return builder.build();
	}

	static void validate(LeaderboardProperties properties) {
		int maxScoreBits = TieBreakEncoding.SIGNIFICAND_BITS - TieBreakEncoding.HEADROOM_BITS - 1;
		if (properties.getScoreBits() < 20 || properties.getScoreBits() > maxScoreBits) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "score-bits", properties.getScoreBits(),
					"a number of bits between 20 and " + maxScoreBits);
		}
		positive(properties.getAllTimeHorizon(), "all-time-horizon");
		positive(properties.getIdempotencyWindow(), "idempotency-window");
		validateBoard("", properties.getPeriods(), properties.getRetention(), properties.getAllTimeIdleTtl(),
				properties.getKeepTop());
		properties.getBoards().forEach((name, board) -> validateBoard("boards." + name + ".", board.getPeriods(),
				board.getRetention(), board.getAllTimeIdleTtl(), board.getKeepTop()));
	}

	private static void validateBoard(String path, @Nullable List<Period> periods, @Nullable Duration retention,
			@Nullable Duration idle, @Nullable Integer keepTop) {
		if (periods != null && periods.isEmpty()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + path + "periods", periods,
					"one or more of all-time, daily, weekly, monthly");
		}
		if (retention != null && retention.isNegative()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + path + "retention", retention, "a duration of 0 or more");
		}
		if (idle != null && idle.isNegative()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + path + "all-time-idle-ttl", idle,
					"a duration of 0 (keep forever) or more");
		}
		if (keepTop != null && keepTop < 0) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + path + "keep-top", keepTop, "0 (no limit) or more");
		}
	}

	private static void positive(Duration value, String property) {
		if (value == null || value.toMillis() < 1) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + property, value, "a duration of at least 1ms");
		}
	}

	private static <T> T orDefault(@Nullable T value, T fallback) {
		return (value != null) ? value : fallback;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class LeaderboardMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MeterRegistry.class)
		LeaderboardMetrics redisPatternsLeaderboardMetrics(MeterRegistry registry) {
			return new MicrometerLeaderboardMetrics(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	static class LeaderboardEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LeaderboardEndpointDetails redisPatternsLeaderboardEndpointDetails(Leaderboards leaderboards) {
			return new LeaderboardEndpointDetails(leaderboards);
		}

	}

}
