package io.redispatterns.pubsub;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.pubsub.autoconfigure.PubSubAutoConfiguration;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code pubsub} part of the {@code redispatterns} endpoint. */
class PubSubEndpointTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	@Test
	void theEndpointListsTheChannelPrefixListenersAndWhetherTheirContainerSubscribed() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, PubSubAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, redis::connectionDetails)
			.withPropertyValues("redis-patterns.key-prefix=desk")
			.withUserConfiguration(PubSubTests.ListenerConfiguration.class)
			.run((context) -> {
				PatternEndpointDetails pubsub = context.getBeansOfType(PatternEndpointDetails.class)
					.values()
					.stream()
					.filter((details) -> details.patternName().equals("pubsub"))
					.findFirst()
					.orElseThrow();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> ((Map<?, ?>) pubsub.describe().get("listenerContainers")).containsValue("subscribed"));
				Map<String, Object> description = pubsub.describe();
				assertThat(description).containsEntry("channelPrefix", "desk:ps:");
				assertThat(((Map<?, ?>) description.get("listenerContainers")).containsValue("waiting for Redis")).isFalse();
				List<Object> channels = ((List<?>) description.get("listeners")).stream()
					.map((listener) -> (Object) ((Map<?, ?>) listener).get("channel"))
					.toList();
				assertThat(channels).containsExactlyInAnyOrder("desk:ps:alerts", "desk:ps:audit.*");
			});
	}

}
