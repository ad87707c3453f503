package io.redispatterns.stream;

import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.stream.autoconfigure.StreamsAutoConfiguration;
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

import static org.assertj.core.api.Assertions.assertThat;

class StreamsAutoConfigurationTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisPatternsAutoConfiguration.class, StreamsAutoConfiguration.class))
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
		this.runner.withPropertyValues("redis-patterns.streams.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StreamPublisher.class));
	}

	@Test
	void worksWithoutMicrometerOnTheClasspath() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(StreamPublisher.class));
	}

	@Test
	void invalidDeadLetterSuffixFailsStartUp() {
		this.runner.withPropertyValues("redis-patterns.streams.dead-letter-suffix=a:b")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.streams.dead-letter-suffix"));
	}

}
