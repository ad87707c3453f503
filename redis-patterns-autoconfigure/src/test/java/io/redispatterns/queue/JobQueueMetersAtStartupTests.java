package io.redispatterns.queue;

import java.time.Duration;
import java.util.List;

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
 * A worked queue's counters and timers exist at zero as soon as the context has started, with the tags its events
 * use, so that a dashboard or alert works before the first job; the first job then counts on the same meters
 * instead of adding a second series.
 */
class JobQueueMetersAtStartupTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	@Configuration(proxyBeanMethods = false)
	static class Handler {

		@Bean
		Object meteredHandler() {
			return new Object() {
				@RedisJobHandler(queue = "metered", name = "invoice")
				void run(String payload) {
				}
			};
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Test
	void queueMetersExistAtZeroFromStartUpAndTheFirstJobCountsOnThem() {
		redis.flushAll();
		try (ConfigurableApplicationContext context = QueueContexts.start(redis, Handler.class)) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (String outcome : List.of("completed", "failed", "retried", "dead", "stalled")) {
				assertThat(jobs(registry, outcome)).as(outcome).isZero();
			}
			assertThat(enqueued(registry)).isZero();
			assertThat(registry.get("redis.patterns.queue.wait").tags("queue", "metered").timer().count()).isZero();
			assertThat(handlerTimer(registry, "success")).isZero();
			assertThat(handlerTimer(registry, "error")).isZero();

			JobQueues jobs = context.getBean(JobQueues.class);
			JobId id = jobs.enqueue("metered", "invoice", "42");
			assertThat(jobs.awaitResult("metered", id, Duration.ofSeconds(30)).state()).isEqualTo(JobState.COMPLETED);
			assertThat(enqueued(registry)).isEqualTo(1);
			// counted once the completion's script has answered, which may be just after the result is readable
			await().atMost(Duration.ofSeconds(10)).until(() -> jobs(registry, "completed") == 1);
			assertThat(handlerTimer(registry, "success")).isEqualTo(1);
			assertThat(registry.find("redis.patterns.queue.jobs").counters()).hasSize(5);
			assertThat(registry.find("redis.patterns.queue.enqueued").counters()).hasSize(1);
			assertThat(registry.find("redis.patterns.queue.handler").timers()).hasSize(2);
		}
	}

	private static double jobs(MeterRegistry registry, String outcome) {
		return registry.get("redis.patterns.queue.jobs").tags("queue", "metered", "outcome", outcome).counter().count();
	}

	private static double enqueued(MeterRegistry registry) {
		return registry.get("redis.patterns.queue.enqueued").tags("queue", "metered").counter().count();
	}

	private static long handlerTimer(MeterRegistry registry, String outcome) {
		return registry.get("redis.patterns.queue.handler")
			.tags("queue", "metered", "name", "invoice", "outcome", outcome)
			.timer()
			.count();
	}

}
