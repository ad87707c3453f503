package io.redispatterns.pubsub;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.annotation.RedisListener;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PubSubTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	record Alert(String level, List<String> tags) {
	}

	static final List<Alert> exact = new CopyOnWriteArrayList<>();

	static final List<String> patterned = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisPatternsAutoConfiguration.class, PubSubAutoConfiguration.class))
		.withBean(DataRedisConnectionDetails.class, redis::connectionDetails)
		.withPropertyValues("redis-patterns.key-prefix=shop");

	static class Listeners {

		@RedisListener(topic = "${redis-patterns.pubsub.channel-prefix}alerts")
		void onAlert(Alert alert) {
			exact.add(alert);
		}

		@RedisListener(topic = "${redis-patterns.pubsub.channel-prefix}audit.*")
		void onAudit(Alert alert, @Header("channel") String channel) {
			patterned.add(channel + "=" + alert.level());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ListenerConfiguration {

		@Bean
		Listeners listeners() {
			return new Listeners();
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Test
	void jsonRoundTripThroughRedisListenerWithChannelAndPatternSubscriptionsUnderTheKeyPrefix() {
		exact.clear();
		patterned.clear();
		this.runner.withUserConfiguration(ListenerConfiguration.class).run((context) -> {
			PubSubPublisher publisher = context.getBean(PubSubPublisher.class);
			assertThat(publisher.channelName("alerts")).isEqualTo("shop:ps:alerts");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			// each listener's meter exists at zero before the first message, with the tag its messages carry
			assertThat(registry.get("redis.patterns.pubsub.received").tag("channel", "alerts").counter().count())
				.isZero();
			assertThat(registry.get("redis.patterns.pubsub.received").tag("channel", "audit.*").counter().count())
				.isZero();
			// subscribing is asynchronous: publish until the listeners are there
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
				publisher.publish("alerts", new Alert("warn", List.of("disk", "eu")));
				publisher.publish("audit.login", new Alert("info", List.of()));
				publisher.publish("audit.logout", new Alert("info", List.of()));
				return !exact.isEmpty() && patterned.stream().anyMatch((p) -> p.contains("audit.login"))
						&& patterned.stream().anyMatch((p) -> p.contains("audit.logout"));
			});
			assertThat(exact.get(0)).isEqualTo(new Alert("warn", List.of("disk", "eu")));
			assertThat(patterned).contains("shop:ps:audit.login=info", "shop:ps:audit.logout=info");
			assertThat(registry.get("redis.patterns.pubsub.published").tag("channel", "alerts").counter().count())
				.isPositive();
			assertThat(registry.get("redis.patterns.pubsub.received").tag("channel", "alerts").counter().count())
				.isPositive();
			// a pattern subscription is one time series, whatever channels match it
			assertThat(registry.get("redis.patterns.pubsub.received").tag("channel", "audit.*").counter().count())
				.isGreaterThanOrEqualTo(2);
			// the messages counted on the meters registered at start-up: no second series
			assertThat(registry.find("redis.patterns.pubsub.received").counters()).hasSize(2);
		});
	}

	@Test
	void publisherWorksWithoutSpringMessagingOnTheClasspath() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.messaging"))
			.run((context) -> assertThat(context).hasSingleBean(PubSubPublisher.class)
				.doesNotHaveBean("redisPatternsRedisListenerConfigurer"));
	}

	@Test
	void backsOffWhenPubSubIsDisabled() {
		this.runner.withPropertyValues("redis-patterns.pubsub.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PubSubPublisher.class));
	}

}
