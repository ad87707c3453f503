package io.redispatterns.stream;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.stream.autoconfigure.StreamAutoConfiguration;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class StreamAutoConfigurationTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisPatternsAutoConfiguration.class, StreamAutoConfiguration.class))
		.withBean(DataRedisConnectionDetails.class, redis::connectionDetails);

	@Test
	void providesPublisherAndDeadLetters() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(StreamPublisher.class)
			.hasSingleBean(StreamDeadLetters.class));
	}

	@Test
	void backsOffWhenUserDefinesThePublisher() {
		StreamPublisher own = (stream, payload, options) -> "0-1";
		this.runner.withBean(StreamPublisher.class, () -> own)
			.run((context) -> assertThat(context.getBean(StreamPublisher.class)).isSameAs(own));
	}

	@Test
	void backsOffWhenStreamsAreDisabled() {
		this.runner.withPropertyValues("redis-patterns.stream.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StreamPublisher.class));
	}

	@Test
	void worksWithoutMicrometerOnTheClasspath() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(StreamPublisher.class));
	}

	@Test
	void blockNotShorterThanTheRedisCommandTimeoutFailsStartUp() {
		this.runner.withPropertyValues("spring.data.redis.timeout=2s", "redis-patterns.stream.block=2s")
			.withUserConfiguration(DefaultBlockListener.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("redis-patterns.stream.block")
				.hasMessageContaining("spring.data.redis.timeout"));
		this.runner.withPropertyValues("redis-patterns.stream.block=90s")
			.withUserConfiguration(DefaultBlockListener.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.stream.block")
				.hasMessageContaining("PT1M"));
		this.runner.withPropertyValues("spring.data.redis.timeout=3s", "redis-patterns.stream.block=2s")
			.withUserConfiguration(DefaultBlockListener.class)
			.run((context) -> assertThat(context).hasNotFailed());
		// without stream listeners nothing blocks: a short command timeout is fine
		this.runner.withPropertyValues("spring.data.redis.timeout=500ms")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Configuration(proxyBeanMethods = false)
	static class DefaultBlockListener {

		@Bean
		Object defaultBlockListener() {
			return new Object() {
				@RedisStreamListener(stream = "s", group = "g")
				void on(String payload) {
				}
			};
		}

	}

	@Test
	void listenerBlockNotShorterThanTheRedisCommandTimeoutFailsStartUp() {
		this.runner.withPropertyValues("spring.data.redis.timeout=1s", "redis-patterns.stream.block=500ms")
			.withUserConfiguration(SlowBlockListener.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("@RedisStreamListener on")
				.hasMessageContaining("(block)")
				.hasMessageContaining("spring.data.redis.timeout"));
	}

	@Configuration(proxyBeanMethods = false)
	static class SlowBlockListener {

		@Bean
		Object slowBlockListener() {
			return new Object() {
				@RedisStreamListener(stream = "s", group = "g", block = "5s")
				void on(String payload) {
				}
			};
		}

	}

	@Test
	void invalidDeadLetterSuffixFailsStartUp() {
		this.runner.withPropertyValues("redis-patterns.stream.dead-letter-suffix=a:b")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.stream.dead-letter-suffix"));
	}

}
