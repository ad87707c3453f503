package io.redispatterns.stream;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream listener's counters and timers exist at zero as soon as the context has started, with the tags its
 * events use, so that a dashboard or alert works before the first entry; the first entry then counts on the same
 * meters instead of adding a second series.
 */
class StreamMetersAtStartupTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static final List<String> handled = new CopyOnWriteArrayList<>();

	record Event(String name) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		@Bean
		Object meteredListener() {
			return new Object() {
				@RedisStreamListener(stream = "metered", group = "billing")
				void on(Event event) {
					handled.add(event.name());
				}
			};
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Test
	void listenerMetersExistAtZeroFromStartUpAndTheFirstEntryCountsOnThem() {
		redis.flushAll();
		try (ConfigurableApplicationContext context = StreamContexts.start(redis, Listener.class)) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (String outcome : List.of("acked", "failed", "claimed", "dead-lettered", "skipped")) {
				assertThat(messages(registry, outcome)).as(outcome).isZero();
			}
			assertThat(handlerTimer(registry, "success")).isZero();
			assertThat(handlerTimer(registry, "error")).isZero();
			assertThat(registry.get("redis.patterns.stream.group.recreations")
				.tags("stream", "metered", "group", "billing")
				.counter()
				.count()).isZero();

			context.getBean(StreamPublisher.class).publish("metered", new Event("first"));
			await().atMost(Duration.ofSeconds(20)).until(() -> messages(registry, "acked") == 1);
			assertThat(handled).containsExactly("first");
			assertThat(handlerTimer(registry, "success")).isEqualTo(1);
			assertThat(registry.find("redis.patterns.stream.messages").counters()).hasSize(5);
			assertThat(registry.find("redis.patterns.stream.handler").timers()).hasSize(2);
		}
	}

	private static double messages(MeterRegistry registry, String outcome) {
		return registry.get("redis.patterns.stream.messages")
			.tags("stream", "metered", "group", "billing", "outcome", outcome)
			.counter()
			.count();
	}

	private static long handlerTimer(MeterRegistry registry, String outcome) {
		return registry.get("redis.patterns.stream.handler")
			.tags("stream", "metered", "group", "billing", "outcome", outcome)
			.timer()
			.count();
	}

}
