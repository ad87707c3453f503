package io.redispatterns.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
 * A repeatable job declared on a handler of three instances is enqueued once per tick: one job per tick, with
 * a deterministic id, and no tick left out.
 */
class JobQueueRepeatTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	/** Job id to how many times it ran. */
	static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	@Configuration(proxyBeanMethods = false)
	static class Ticker {

		@Bean
		Object tickHandler() {
			return new Object() {
				@RedisJobHandler(queue = "ticks", name = "heartbeat", every = "${test.every:250ms}")
				void beat(JobContext context) {
					runs.computeIfAbsent(context.id().value(), (id) -> new AtomicInteger()).incrementAndGet();
				}
			};
		}

	}

	@Test
	void repeatableJobIsEnqueuedOncePerTickAcrossThreeInstances() {
		redis.flushAll();
		runs.clear();
		List<ConfigurableApplicationContext> contexts = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				contexts.add(QueueContexts.start(redis, Ticker.class));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() >= 6);
		}
		finally {
			contexts.forEach(ConfigurableApplicationContext::close);
		}
		assertThat(runs.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
		List<Long> ticks = runs.keySet()
			.stream()
			.peek((id) -> assertThat(id).startsWith("repeat:heartbeat:"))
			.map((id) -> Long.parseLong(id.substring("repeat:heartbeat:".length())))
			.sorted()
			.toList();
		for (int i = 1; i < ticks.size(); i++) {
			assertThat(ticks.get(i) - ticks.get(i - 1)).isEqualTo(250);
		}
	}

}
