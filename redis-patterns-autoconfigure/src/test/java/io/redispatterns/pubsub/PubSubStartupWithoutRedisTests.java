package io.redispatterns.pubsub;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.core.RedisUnavailableException;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.pubsub.autoconfigure.PubSubAutoConfiguration;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.annotation.RedisListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An application with a {@code @RedisListener} starts while Redis is unreachable, reports pub/sub {@code DOWN}
 * (without Java class names), and receives messages once Redis appears.
 */
class PubSubStartupWithoutRedisTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static final List<String> received = new CopyOnWriteArrayList<>();

	record Alert(String level) {
	}

	static class Listeners {

		@RedisListener(topic = "${redis-patterns.pubsub.channel-prefix}startup-alerts")
		void onAlert(Alert alert) {
			received.add(alert.level());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			RedisPatternsAutoConfiguration.class, PubSubAutoConfiguration.class })
	static class App {

		@Bean
		Listeners listeners() {
			return new Listeners();
		}

	}

	@Test
	void startsWithRedisDownReportsDownAndReceivesOnceRedisAppears() {
		received.clear();
		try (RedisProxy proxy = RedisProxy.start(redis.dataNodes().get(0))) {
			proxy.refuse(true);
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
				.web(WebApplicationType.NONE)
				.initializers((c) -> c.getBeanFactory()
					.registerSingleton("testRedisConnectionDetails", proxy.connectionDetails()))
				.properties("spring.main.banner-mode=off", "redis-patterns.key-prefix=t")
				.run()) {
				PubSubPublisher publisher = context.getBean(PubSubPublisher.class);
				assertThatExceptionOfType(RedisUnavailableException.class)
					.isThrownBy(() -> publisher.publish("startup-alerts", new Alert("lost")));
				Health down = pubSubHealth(context);
				assertThat(down.getStatus()).isEqualTo(Status.DOWN);
				assertThat(String.valueOf(down.getDetails())).doesNotContainPattern("Exception|[a-z]+\\.[a-z]+\\.[A-Z]");

				long back = System.nanoTime();
				proxy.refuse(false);
				await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
					publisher.publish("startup-alerts", new Alert("warn"));
					return !received.isEmpty();
				});
				System.out.printf("pub/sub: first message received %d ms after Redis became reachable%n",
						(System.nanoTime() - back) / 1_000_000);
				assertThat(received).contains("warn");
				assertThat(pubSubHealth(context).getStatus()).isEqualTo(Status.UP);
			}
		}
	}

	private static Health pubSubHealth(ConfigurableApplicationContext context) {
		Map<String, PatternHealthDetails> parts = context.getBeansOfType(PatternHealthDetails.class);
		return parts.values()
			.stream()
			.filter((part) -> part.patternName().equals("pubsub"))
			.findFirst()
			.orElseThrow()
			.health();
	}

}
