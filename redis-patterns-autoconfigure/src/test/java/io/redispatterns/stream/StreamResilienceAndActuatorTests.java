package io.redispatterns.stream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.stream.internal.StreamListenerContainer;
import io.redispatterns.stream.internal.StreamListenerRegistry;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StreamResilienceAndActuatorTests {

	static final Set<String> handled = ConcurrentHashMap.newKeySet();

	record Ping(String id) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		Object pingListener() {
			return new Object() {
				@RedisStreamListener(stream = "pings", group = "g")
				void on(Ping ping) {
					if (ping.id().startsWith("bad")) {
						throw new IllegalStateException("bad ping");
					}
					handled.add(ping.id());
				}
			};
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Test
	void listenerSurvivesARedisRestartAndReportsMetricsHealthAndEndpointDetails() {
		handled.clear();
		try (StandaloneRedis redis = EmbeddedRedis.startStandaloneServer(0);
				ConfigurableApplicationContext context = StreamContexts.start(redis, Listeners.class,
						"redis-patterns.stream.max-deliveries=2", "redis-patterns.stream.reconnect.max=500ms")) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publisher.publish("pings", new Ping("before"));
			publisher.publish("pings", new Ping("bad-1"));
			await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("before"));
			StreamDeadLetters deadLetters = context.getBean(StreamDeadLetters.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.size("pings") == 1);

			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("redis.patterns.stream.messages").tags("stream", "pings", "group", "g", "outcome", "acked")
				.counter().count()).isEqualTo(1);
			assertThat(registry.get("redis.patterns.stream.messages").tags("outcome", "failed").counter().count())
				.isEqualTo(2);
			assertThat(registry.get("redis.patterns.stream.messages").tags("outcome", "dead-lettered").counter().count())
				.isEqualTo(1);
			assertThat(registry.get("redis.patterns.stream.handler").tags("outcome", "success").timer().count())
				.isEqualTo(1);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> registry.get("redis.patterns.stream.pending").tags("stream", "pings", "group", "g")
					.gauge().value() == 0.0
						&& registry.get("redis.patterns.stream.lag").tags("group", "g").gauge().value() == 0.0);

			Health health = context.getBean(PatternHealthDetails.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			@SuppressWarnings("unchecked")
			Map<String, Object> listener = ((List<Map<String, Object>>) health.getDetails().get("listeners")).get(0);
			assertThat(listener).containsEntry("stream", "pings").containsEntry("deadLetters", 1L);
			@SuppressWarnings("unchecked")
			Map<String, Object> described = ((List<Map<String, Object>>) context.getBean(PatternEndpointDetails.class)
				.describe()
				.get("listeners")).get(0);
			assertThat(described).containsEntry("group", "g").containsKeys("pending", "lag", "consumer");

			redis.node().restart();
			// the restarted server is empty: the container reconnects and creates the group again
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
				publisher.publish("pings", new Ping("after"));
				return handled.contains("after");
			});
			StreamListenerContainer container = context.getBean(StreamListenerRegistry.class).containers().get(0);
			assertThat(container.state()).isEqualTo(StreamListenerContainer.State.RUNNING);

			container.abort();
			assertThat(context.getBean(PatternHealthDetails.class).health().getStatus()).isEqualTo(Status.DOWN);
		}
	}

}
