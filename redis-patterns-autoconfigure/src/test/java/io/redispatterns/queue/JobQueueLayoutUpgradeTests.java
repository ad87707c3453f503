package io.redispatterns.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.queue.internal.QueueKeys;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application upgraded over jobs written by the layout before (the active set's member a plain job id, a lease
 * written to the job hash: {@code s = a}, the token in {@code t}, the running attempt in {@code a}): the jobs are
 * seeded with the raw commands that layout's scripts sent, before the upgraded application starts, and are then
 * processed, recovered, listed and reported like jobs of the current layout.
 */
class JobQueueLayoutUpgradeTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static final String QUEUE = "upgraded";

	static ConfigurableApplicationContext context;

	static JobQueues jobs;

	/** Job id to the attempt its handler ran. */
	static final Map<String, Integer> ran = new ConcurrentHashMap<>();

	record Labelled(String label) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Object upgradedHandler() {
			return new Object() {
				@RedisJobHandler(queue = QUEUE, concurrency = 2, maxAttempts = 3)
				String run(Labelled job, JobContext context) {
					ran.put(context.id().value(), context.attempt());
					return "done:" + job.label();
				}
			};
		}

	}

	@BeforeAll
	static void seedTheLayoutBeforeAndStart() {
		redis.flushAll();
		LettuceConnectionFactory connections = new LettuceConnectionFactory(
				redis.connectionDetails().getStandalone().getHost(), redis.connectionDetails().getStandalone().getPort());
		connections.afterPropertiesSet();
		connections.start();
		try {
			seed(new StringRedisTemplate(connections));
		}
		finally {
			connections.destroy();
		}
		context = QueueContexts.start(redis, Handlers.class, "redis-patterns.queue.retention.completed=100");
		jobs = context.getBean(JobQueues.class);
	}

	/** What the scripts of the layout before wrote, as raw commands. */
	private static void seed(StringRedisTemplate raw) {
		QueueKeys keys = new QueueKeys(new io.redispatterns.core.RedisKeys("t"));
		long now = raw.execute((RedisCallback<Long>) (connection) -> connection.serverCommands().time());
		String payload = "{\"label\":\"old\"}";
		// waiting, as enqueue.lua wrote a plain job: no state field, the FIFO sequence in the score
		raw.opsForHash().putAll(keys.job(QUEUE, "old-waiting"), Map.of("c", Long.toString(now), "d", payload));
		raw.opsForHash().put(keys.meta(QUEUE), "seq", "1");
		raw.opsForZSet().add(keys.waiting(QUEUE), "old-waiting", waitScore(0, 1));
		// delayed and already due
		raw.opsForHash().putAll(keys.job(QUEUE, "old-delayed"),
				Map.of("c", Long.toString(now - 2000), "s", "d", "d", payload, "r", Long.toString(now - 1000)));
		raw.opsForZSet().add(keys.delayed(QUEUE), "old-delayed", now - 1000);
		// active with a lease that expired: the worker holding it is gone with the old version
		raw.opsForHash().putAll(keys.job(QUEUE, "old-stalled"), Map.of("c", Long.toString(now - 60_000), "d", payload,
				"s", "a", "t", "old-worker:1", "st", Long.toString(now - 50_000), "a", "1"));
		raw.opsForZSet().add(keys.active(QUEUE), "old-stalled", now - 20_000);
		// active with a lease still held (a minute left)
		raw.opsForHash().putAll(keys.job(QUEUE, "old-running"), Map.of("c", Long.toString(now - 5000), "d", payload,
				"s", "a", "t", "old-worker:2", "st", Long.toString(now - 4000), "a", "1"));
		raw.opsForZSet().add(keys.active(QUEUE), "old-running", now + 60_000);
		// completed and kept
		raw.opsForHash().putAll(keys.job(QUEUE, "old-completed"), Map.of("c", Long.toString(now - 9000), "s", "c",
				"t", "old-worker:3", "st", Long.toString(now - 8000), "a", "1", "f", Long.toString(now - 7000), "res",
				"\"done:before\""));
		raw.opsForZSet().add(keys.completed(QUEUE), "old-completed", now - 7000);
		// the take record of a worker of the old version
		raw.opsForValue().set(keys.take(QUEUE, "old-worker"), "old-worker:2|old-running");
	}

	/** The waiting set's score of the layout before: priority first, then the FIFO sequence. */
	private static double waitScore(int priority, long sequence) {
		return (1048575L - priority) * 4294967296L + sequence;
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void waitingAndDueDelayedJobsOfTheLayoutBeforeAreProcessed() {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(ran).containsEntry("old-waiting", 1).containsEntry("old-delayed", 1));
		JobStatus status = await().until(() -> jobs.status(QUEUE, JobId.of("old-waiting")),
				(current) -> current != null && current.state() == JobState.COMPLETED);
		assertThat(status.attempts()).isEqualTo(1);
		assertThat(status.resultJson()).isEqualTo("\"done:old\"");
	}

	@Test
	void expiredLeaseOfTheLayoutBeforeIsRecoveredCountingItsAttemptOnceAndCompleted() {
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ran).containsEntry("old-stalled", 2));
		JobStatus status = await().until(() -> jobs.status(QUEUE, JobId.of("old-stalled")),
				(current) -> current != null && current.state() == JobState.COMPLETED);
		assertThat(status.attempts()).isEqualTo(2);
		assertThat(status.history()).singleElement().asString().contains("lease expired");
	}

	@Test
	void heldLeaseOfTheLayoutBeforeIsListedAsActiveAndNotRunAgain() {
		JobStatus status = jobs.status(QUEUE, JobId.of("old-running"));
		assertThat(status).isNotNull();
		assertThat(status.state()).isEqualTo(JobState.ACTIVE);
		assertThat(status.attempts()).isEqualTo(1);
		assertThat(jobs.depths(QUEUE).active()).isGreaterThanOrEqualTo(1);
		assertThat(ran).doesNotContainKey("old-running");
	}

	@Test
	void completedJobOfTheLayoutBeforeIsReportedWithItsResult() {
		JobStatus status = jobs.status(QUEUE, JobId.of("old-completed"));
		assertThat(status).isNotNull();
		assertThat(status.state()).isEqualTo(JobState.COMPLETED);
		assertThat(status.resultJson()).isEqualTo("\"done:before\"");
		assertThat(status.attempts()).isEqualTo(1);
	}

	@Test
	void jobsOfBothLayoutsRunSideBySide() {
		JobId id = jobs.enqueue(QUEUE, new Labelled("new"));
		JobStatus status = jobs.awaitResult(QUEUE, id, Duration.ofSeconds(20));
		assertThat(status).isNotNull();
		assertThat(status.state()).isEqualTo(JobState.COMPLETED);
		assertThat(status.resultJson()).isEqualTo("\"done:new\"");
		assertThat(List.of(status.attempts())).containsExactly(1);
	}

}
