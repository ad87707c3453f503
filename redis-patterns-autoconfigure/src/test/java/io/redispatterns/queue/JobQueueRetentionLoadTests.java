package io.redispatterns.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import io.redispatterns.queue.internal.QueueKeys;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retention keeps a queue's Redis memory bounded after 50,000 completed jobs: completed jobs beyond the kept count
 * are deleted (set, hash and all), nobody awaiting them means no event stream, and the server's memory ends where
 * it began plus the jobs kept. Tagged {@code faults} (run with {@code -Pfaults}): on a loaded build machine the
 * 50,000 jobs take longer than the normal suite allows; {@code JobQueueTests} checks the same with 2,000.
 */
@Tag("faults")
class JobQueueRetentionLoadTests {

	static final StandaloneRedis redis = EmbeddedRedis.startStandaloneServer(0);

	static final int JOBS = 50_000;

	static final AtomicLong handled = new AtomicLong();

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Object noOpHandler() {
			return new Object() {
				@RedisJobHandler(queue = "many", concurrency = 16)
				void run(Integer job) {
					handled.incrementAndGet();
				}
			};
		}

	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void memoryStaysBoundedAfter50000CompletedJobs() {
		try (ConfigurableApplicationContext context = QueueContexts.start(redis, Handlers.class,
				"redis-patterns.queue.retention.completed=100")) {
			JobQueues jobs = context.getBean(JobQueues.class);
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String base = context.getBean(QueueKeys.class).base("many");
			long memoryBefore = usedMemory();
			List<Integer> payloads = IntStream.range(0, 1000).boxed().toList();
			for (int i = 0; i < JOBS; i += payloads.size()) {
				jobs.enqueueAll("many", JobQueues.DEFAULT_NAME, payloads, JobOptions.defaults());
			}
			await().atMost(Duration.ofMinutes(5)).until(() -> handled.get() >= JOBS);
			await().untilAsserted(() -> {
				QueueDepths depths = jobs.depths("many");
				assertThat(depths.waiting() + depths.active() + depths.delayed()).isZero();
				assertThat(depths.completed()).isEqualTo(100);
				assertThat(countKeys(template, base + ":j:*")).isEqualTo(100);
			});
			assertThat(template.hasKey(base + ":events")).isFalse();
			// 100 kept jobs of about 1 KB each; 50,000 kept would be about 50 MB
			assertThat(usedMemory() - memoryBefore).isLessThan(2_000_000);
		}
	}

	private static long usedMemory() {
		String info = redis.node().execute((commands) -> commands.info("memory"));
		return info.lines()
			.filter((line) -> line.startsWith("used_memory:"))
			.mapToLong((line) -> Long.parseLong(line.substring("used_memory:".length()).trim()))
			.findFirst()
			.orElseThrow();
	}

	private static long countKeys(StringRedisTemplate template, String pattern) {
		long count = 0;
		try (Cursor<String> cursor = template.scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
			while (cursor.hasNext()) {
				cursor.next();
				count++;
			}
		}
		return count;
	}

}
