package io.redispatterns.writebehind.autoconfigure;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.writebehind.WhenFull;
import io.redispatterns.writebehind.WriteBehindBatch;
import io.redispatterns.writebehind.WriteBehindFlush;
import io.redispatterns.writebehind.WriteBehinds;
import io.redispatterns.writebehind.internal.WriteBehindFlushers;
import io.redispatterns.writebehind.internal.WriteBehindSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wiring of write-behind: turned off by a property, settings validated at start-up naming the property,
 * {@code @WriteBehindFlush} checked naming the method.
 */
class WriteBehindAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisPatternsAutoConfiguration.class, WriteBehindAutoConfiguration.class))
		.withBean(DataRedisConnectionDetails.class,
				() -> EmbeddedRedis.shared(RedisTopology.STANDALONE).connectionDetails())
		.withPropertyValues("redis-patterns.key-prefix=wbconf");

	@Configuration(proxyBeanMethods = false)
	static class ZeroBatch {

		@Bean
		Object zeroBatchFlusher() {
			return new Object() {
				@WriteBehindFlush(buffer = "b", maxBatch = 0)
				void persist(WriteBehindBatch<Long> batch) {
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadInterval {

		@Bean
		Object badIntervalFlusher() {
			return new Object() {
				@WriteBehindFlush(buffer = "b", every = "soon")
				void persist(WriteBehindBatch<Long> batch) {
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoForOneBuffer {

		@Bean
		Object firstFlusher() {
			return new Object() {
				@WriteBehindFlush(buffer = "shared")
				void persist(WriteBehindBatch<Long> batch) {
				}
			};
		}

		@Bean
		Object secondFlusher() {
			return new Object() {
				@WriteBehindFlush(buffer = "shared")
				void persist(WriteBehindBatch<Long> batch) {
				}
			};
		}

	}

	@Test
	void providesBuffersAndAppliesPerBufferSettings() {
		this.runner
			.withPropertyValues("redis-patterns.write-behind.max-backlog=50",
					"redis-patterns.write-behind.buffers.views.when-full=block",
					"redis-patterns.write-behind.buffers.views.max-attempts=2")
			.run((context) -> {
				assertThat(context).hasSingleBean(WriteBehinds.class).hasSingleBean(WriteBehindFlushers.class);
				WriteBehindSettings settings = context.getBean(WriteBehindSettings.class);
				assertThat(settings.forBuffer("views").whenFull()).isEqualTo(WhenFull.BLOCK);
				assertThat(settings.forBuffer("views").maxAttempts()).isEqualTo(2);
				assertThat(settings.forBuffer("views").maxBacklog()).isEqualTo(50);
				assertThat(settings.forBuffer("other").whenFull()).isEqualTo(WhenFull.REJECT);
				// the replay window covers at least two command timeouts (2 s by default)
				assertThat(settings.replayWindow()).isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(4));
			});
	}

	@Test
	void isTurnedOffByItsEnabledProperty() {
		this.runner.withPropertyValues("redis-patterns.write-behind.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WriteBehinds.class));
	}

	@Test
	void anInvalidSettingStopsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis-patterns.write-behind.buffers.views.max-backlog=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("redis-patterns.write-behind.buffers.views.max-backlog"));
		this.runner.withPropertyValues("redis-patterns.write-behind.lease=0s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.write-behind.lease"));
	}

	@Test
	void anUnusableFlushMethodStopsStartUpNamingIt() {
		this.runner.withUserConfiguration(ZeroBatch.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("@WriteBehindFlush")
				.hasMessageContaining("maxBatch 0"));
		this.runner.withUserConfiguration(BadInterval.class)
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("invalid every 'soon'"));
		this.runner.withUserConfiguration(TwoForOneBuffer.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Two @WriteBehindFlush methods flush buffer 'shared'"));
	}

}
