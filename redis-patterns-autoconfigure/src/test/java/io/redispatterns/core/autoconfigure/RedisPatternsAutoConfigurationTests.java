package io.redispatterns.core.autoconfigure;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.RedisServerTime;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class RedisPatternsAutoConfigurationTests {

	private final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisPatternsAutoConfiguration.class))
		.withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails);

	@Test
	void keyPrefixDefaultsToTheApplicationName() {
		this.runner.withPropertyValues("spring.application.name=Order Service")
			.run((context) -> assertThat(context.getBean(RedisKeys.class).prefix()).isEqualTo("Order-Service"));
	}

	@Test
	void keyPrefixDefaultsToAppWithoutAnApplicationName() {
		this.runner.run((context) -> assertThat(context.getBean(RedisKeys.class).prefix()).isEqualTo("app"));
	}

	@Test
	void configuredKeyPrefixWins() {
		this.runner.withPropertyValues("spring.application.name=orders", "redis-patterns.key-prefix=shop:eu")
			.run((context) -> assertThat(context.getBean(RedisKeys.class).key("rl", "quotes", "1"))
				.isEqualTo("shop:eu:rl:quotes:1"));
	}

	@Test
	void invalidKeyPrefixFailsStartUpWithAMessageNamingTheProperty() {
		this.runner.withPropertyValues("redis-patterns.key-prefix=my {app}").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidPropertyFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("redis-patterns.key-prefix", "my {app}", "letters, digits");
			assertThat(analysis.getAction()).contains("redis-patterns.key-prefix");
			assertThat(analysis.getCause()).isInstanceOf(InvalidRedisPatternsPropertyException.class);
		});
	}

	@Test
	void jsonCodecUsesTheJsonMapperSpringBootConfigures() {
		this.runner.run((context) -> assertThat(context.getBean(JsonCodec.class).mapper())
			.isSameAs(context.getBean(JsonMapper.class)));
	}

	@Test
	void serverTimeReadsTheRedisClock() {
		this.runner.run((context) -> {
			long redisMillis = context.getBean(RedisServerTime.class).nowMicros() / 1000;
			// same machine, so the two clocks agree to well within a minute
			assertThat(redisMillis).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
		});
	}

	@Test
	void backsOffWhenTheUserDefinesTheBeans() {
		RedisKeys userKeys = new RedisKeys("mine");
		this.runner.withBean(RedisKeys.class, () -> userKeys)
			.run((context) -> assertThat(context.getBean(RedisKeys.class)).isSameAs(userKeys));
	}

	@Test
	void doesNothingWithoutSpringDataRedis() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RedisPatternsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> assertThat(context).doesNotHaveBean(RedisKeys.class));
	}

	@Test
	void worksWithoutJacksonButOffersNoCodec() {
		this.runner.withClassLoader(new FilteredClassLoader(JsonMapper.class)).run((context) -> {
			assertThat(context).hasSingleBean(RedisKeys.class);
			assertThat(context).doesNotHaveBean(JsonCodec.class);
		});
	}

}
