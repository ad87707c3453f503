package io.redispatterns.leaderboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.leaderboard.autoconfigure.LeaderboardAutoConfiguration;
import io.redispatterns.test.RedisDeployment;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Application contexts with leaderboards against a real Redis, with a clock the test moves.
 */
final class LeaderboardTestSupport {

	private LeaderboardTestSupport() {
	}

	static ApplicationContextRunner runner(RedisDeployment deployment, MovableClock clock) {
		return runner(deployment::connectionDetails, clock);
	}

	static ApplicationContextRunner runner(java.util.function.Supplier<DataRedisConnectionDetails> connectionDetails,
			MovableClock clock) {
		return new ApplicationContextRunner()
			.withBean(DataRedisConnectionDetails.class, connectionDetails)
			.withBean(Clock.class, () -> clock)
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, LeaderboardAutoConfiguration.class,
					MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class))
			.withPropertyValues("redis-patterns.key-prefix=lbtest-" + UUID.randomUUID().toString().substring(0, 8),
					"spring.data.redis.timeout=5s");
	}

	/** A clock that moves only when told to. */
	static final class MovableClock extends Clock {

		private volatile Instant now;

		MovableClock(Instant start) {
			this.now = start;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		void set(Instant instant) {
			this.now = instant;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
