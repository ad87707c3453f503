package io.redispatterns.writebehind;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
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
 * The counters and timers of a flushed buffer and of a buffer that is only configured exist at zero as soon as
 * the context has started, with the tags their events use, so that a dashboard or alert works before the first
 * write; the first write and flush then count on the same meters instead of adding a second series.
 */
class WriteBehindMetersAtStartupTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static final List<Map<String, Long>> flushed = new CopyOnWriteArrayList<>();

	@Configuration(proxyBeanMethods = false)
	static class Flusher {

		@Bean
		Object meteredFlusher() {
			return new Object() {
				@WriteBehindFlush(buffer = "metered", every = "100ms")
				void persist(WriteBehindBatch<Long> batch) {
					flushed.add(batch.items());
				}
			};
		}

	}

	@Test
	void bufferMetersExistAtZeroFromStartUpAndTheFirstWriteCountsOnThem() {
		redis.flushAll();
		try (ConfigurableApplicationContext context = WriteBehindContexts.start(redis, Flusher.class,
				"redis-patterns.write-behind.buffers.configured.max-backlog=10")) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (String buffer : List.of("metered", "configured")) {
				for (String outcome : List.of("accepted", "coalesced", "rejected")) {
					assertThat(writes(registry, buffer, outcome)).as(buffer + " " + outcome).isZero();
				}
				for (String outcome : List.of("success", "failure", "dead")) {
					assertThat(flushTimer(registry, buffer, outcome)).as(buffer + " " + outcome).isZero();
				}
				assertThat(flushedItems(registry, buffer)).isZero();
				assertThat(registry.get("redis.patterns.write-behind.failures").tag("buffer", buffer).counter().count())
					.isZero();
			}

			context.getBean(WriteBehinds.class).buffer("metered", Long.class).increment("product:1", 1);
			await().atMost(Duration.ofSeconds(20)).until(() -> flushedItems(registry, "metered") == 1);
			assertThat(flushed).containsExactly(Map.of("product:1", 1L));
			assertThat(writes(registry, "metered", "accepted")).isEqualTo(1);
			assertThat(flushTimer(registry, "metered", "success")).isEqualTo(1);
			assertThat(registry.find("redis.patterns.write-behind.writes").tag("buffer", "metered").counters())
				.hasSize(3);
			assertThat(registry.find("redis.patterns.write-behind.flush").tag("buffer", "metered").timers()).hasSize(3);
		}
	}

	private static double writes(MeterRegistry registry, String buffer, String outcome) {
		return registry.get("redis.patterns.write-behind.writes")
			.tags("buffer", buffer, "outcome", outcome)
			.counter()
			.count();
	}

	private static long flushTimer(MeterRegistry registry, String buffer, String outcome) {
		return registry.get("redis.patterns.write-behind.flush")
			.tags("buffer", buffer, "outcome", outcome)
			.timer()
			.count();
	}

	private static double flushedItems(MeterRegistry registry, String buffer) {
		return registry.get("redis.patterns.write-behind.flushed").tag("buffer", buffer).counter().count();
	}

}
