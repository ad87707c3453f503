package io.redispatterns.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

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
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Job-queue behaviour against a real Redis, in one application context whose handlers serve several queues.
 */
class JobQueueTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static ConfigurableApplicationContext context;

	static JobQueues jobs;

	static DeadJobs deadJobs;

	record Email(String to, int failTimes) {
	}

	record Labelled(String label) {
	}

	/** Job id to the local nano times of its attempts. */
	static final Map<String, List<Long>> attempts = new ConcurrentHashMap<>();

	static final List<String> order = new CopyOnWriteArrayList<>();

	static final Set<String> delayedStarted = ConcurrentHashMap.newKeySet();

	static final List<Object> events = new CopyOnWriteArrayList<>();

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Object emailHandler() {
			return new Object() {
				@RedisJobHandler(queue = "emails", concurrency = 4, maxAttempts = 3)
				String send(Email email, JobContext context) {
					attempts.computeIfAbsent(context.id().value(), (id) -> new CopyOnWriteArrayList<>())
						.add(System.nanoTime());
					context.progress(50);
					context.log("attempt " + context.attempt());
					if (context.attempt() <= email.failTimes()) {
						throw new IllegalStateException("mail server down for " + email.to());
					}
					return "sent:" + email.to();
				}

				@RedisJobHandler(queue = "emails", name = "digest")
				String digest(Labelled digest) {
					return "digest:" + digest.label();
				}
			};
		}

		@Bean
		Object orderedHandler() {
			return new Object() {
				@RedisJobHandler(queue = "ordered", concurrency = 1)
				void run(Labelled job) {
					order.add(job.label());
				}

				@RedisJobHandler(queue = "later")
				void later(Labelled job) {
					delayedStarted.add(job.label());
				}

				@RedisJobHandler(queue = "limited", concurrency = 4)
				void limited(Labelled job) {
				}

				@RedisJobHandler(queue = "bulk", concurrency = 8)
				int bulk(int number) {
					return number;
				}
			};
		}

		@Bean
		io.micrometer.core.instrument.MeterRegistry meterRegistry() {
			return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		}

		@Bean
		Object eventRecorder() {
			return new Object() {
				@EventListener
				void on(JobCompletedEvent event) {
					events.add(event);
				}

				@EventListener
				void on(JobFailedEvent event) {
					events.add(event);
				}

				@EventListener
				void on(JobDeadEvent event) {
					events.add(event);
				}
			};
		}

	}

	@BeforeAll
	static void start() {
		redis.flushAll();
		context = QueueContexts.start(redis, Handlers.class, "redis-patterns.queue.retention.completed=100",
				"redis-patterns.queue.per-queue.limited.rate-limit=4",
				"redis-patterns.queue.per-queue.limited.rate-period=300ms");
		jobs = context.getBean(JobQueues.class);
		deadJobs = context.getBean(DeadJobs.class);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	private static JobStatus awaitFinal(String queue, JobId id) {
		JobStatus status = jobs.awaitResult(queue, id, Duration.ofSeconds(20));
		assertThat(status).isNotNull();
		return status;
	}

	@Test
	void jobRunsOnceAndItsResultProgressAndTimesAreStored() {
		JobId id = jobs.enqueue("emails", new Email("a@example.com", 0));
		JobStatus status = awaitFinal("emails", id);
		assertThat(status.state()).isEqualTo(JobState.COMPLETED);
		assertThat(status.resultJson()).isEqualTo("\"sent:a@example.com\"");
		assertThat(status.attempts()).isEqualTo(1);
		assertThat(status.progress()).isEqualTo("50");
		assertThat(status.startedAt()).isAfterOrEqualTo(status.createdAt());
		assertThat(status.finishedAt()).isAfterOrEqualTo(status.startedAt());
		assertThat(attempts.get(id.value())).hasSize(1);
		StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
		assertThat(template.opsForList().range(context.getBean(QueueKeys.class).log("emails", id.value()), 0, -1))
			.containsExactly("attempt 1");
		await().untilAsserted(() -> assertThat(events).anySatisfy((event) -> assertThat(event)
			.isInstanceOfSatisfying(JobCompletedEvent.class, (completed) -> assertThat(completed.id()).isEqualTo(id))));
	}

	@Test
	void failingJobIsRetriedAfterItsBackoffAndCompletesWithItsHistory() {
		JobId id = jobs.enqueue("emails", new Email("flaky@example.com", 2));
		JobStatus status = awaitFinal("emails", id);
		assertThat(status.state()).isEqualTo(JobState.COMPLETED);
		assertThat(status.attempts()).isEqualTo(3);
		assertThat(status.history()).hasSize(2).allSatisfy((line) -> assertThat(line).contains("mail server down"));
		List<Long> times = attempts.get(id.value());
		assertThat(times).hasSize(3);
		// back-off 50 ms, then 100 ms (exponential, multiplier 2, no jitter): never earlier
		assertThat(Duration.ofNanos(times.get(1) - times.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(50));
		assertThat(Duration.ofNanos(times.get(2) - times.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
		await().untilAsserted(() -> assertThat(events).anySatisfy((event) -> assertThat(event)
			.isInstanceOfSatisfying(JobFailedEvent.class, (failed) -> assertThat(failed.id()).isEqualTo(id))));
	}

	@Test
	void jobOutOfAttemptsIsDeadLetteredAndCanBeRetriedAndPurged() {
		JobId id = jobs.enqueue("emails", new Email("never@example.com", 99),
				JobOptions.defaults().attempts(2).backoff(Backoff.fixed(Duration.ofMillis(20))));
		JobStatus status = awaitFinal("emails", id);
		assertThat(status.state()).isEqualTo(JobState.DEAD);
		assertThat(status.attempts()).isEqualTo(2);
		assertThat(status.error()).contains("mail server down for never@example.com");
		assertThat(deadJobs.list("emails", 100)).anySatisfy((dead) -> {
			assertThat(dead.id()).isEqualTo(id);
			assertThat(dead.attempts()).isEqualTo(2);
			assertThat(dead.history()).hasSize(2);
			assertThat(dead.payloadJson()).contains("never@example.com");
		});
		assertThat(deadJobs.retry("emails", id)).isTrue();
		assertThat(deadJobs.retry("emails", id)).isFalse();
		await().atMost(Duration.ofSeconds(20)).until(() -> attempts.get(id.value()).size() == 4);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> jobs.status("emails", id).state() == JobState.DEAD);
		assertThat(deadJobs.count("emails")).isPositive();
		assertThat(deadJobs.purge("emails")).isPositive();
		assertThat(deadJobs.count("emails")).isZero();
		assertThat(jobs.status("emails", id)).isNull();
	}

	@Test
	void payloadThatDoesNotDecodeIsDeadAtOnceWithTheReason() {
		JobId id = jobs.enqueue("emails", "not an email");
		JobStatus status = awaitFinal("emails", id);
		assertThat(status.state()).isEqualTo(JobState.DEAD);
		assertThat(status.attempts()).isEqualTo(1);
		assertThat(status.error()).startsWith("Payload could not be decoded");
	}

	@Test
	void jobNamesDispatchToTheirHandlersAndAnUnknownNameIsDeadLettered() {
		JobId digest = jobs.enqueue("emails", "digest", new Labelled("weekly"));
		JobId unknown = jobs.enqueue("emails", "no-such-job", new Labelled("x"));
		assertThat(awaitFinal("emails", digest).resultJson()).isEqualTo("\"digest:weekly\"");
		JobStatus dead = awaitFinal("emails", unknown);
		assertThat(dead.state()).isEqualTo(JobState.DEAD);
		assertThat(dead.error()).isEqualTo("No @RedisJobHandler for job name 'no-such-job' on queue 'emails'");
	}

	@Test
	void higherPriorityRunsFirstAndEqualPrioritiesInOrder() {
		jobs.pause("ordered");
		order.clear();
		jobs.enqueue("ordered", new Labelled("p1"), JobOptions.defaults().priority(1));
		jobs.enqueue("ordered", new Labelled("p5-a"), JobOptions.defaults().priority(5));
		jobs.enqueue("ordered", new Labelled("p0-a"));
		jobs.enqueue("ordered", new Labelled("p5-b"), JobOptions.defaults().priority(5));
		jobs.enqueue("ordered", new Labelled("p10"), JobOptions.defaults().priority(10));
		jobs.enqueue("ordered", new Labelled("p0-b"));
		QueueDepths paused = jobs.depths("ordered");
		assertThat(paused.paused()).isTrue();
		assertThat(paused.waiting()).isEqualTo(6);
		assertThat(order).isEmpty();
		jobs.resume("ordered");
		await().atMost(Duration.ofSeconds(20)).until(() -> order.size() == 6);
		assertThat(order).containsExactly("p10", "p5-a", "p5-b", "p1", "p0-a", "p0-b");
		assertThat(jobs.depths("ordered").paused()).isFalse();
	}

	@Test
	void delayedJobNeverStartsBeforeItsDueTime() {
		List<JobId> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ids.add(jobs.enqueue("later", new Labelled("d" + i), JobOptions.delay(Duration.ofMillis(200 + 100 * i))));
		}
		assertThat(jobs.status("later", ids.get(0)).state()).isEqualTo(JobState.DELAYED);
		for (int i = 0; i < ids.size(); i++) {
			JobStatus status = awaitFinal("later", ids.get(i));
			// both instants come from the Redis server's clock
			assertThat(Duration.between(status.createdAt(), status.startedAt()))
				.isGreaterThanOrEqualTo(Duration.ofMillis(200 + 100 * i));
		}
	}

	@Test
	void dedupeKeyReturnsThePendingJobUntilItFinished() {
		jobs.pause("ordered");
		JobId first = jobs.enqueue("ordered", new Labelled("d1"), JobOptions.defaults().dedupeKey("welcome:7"));
		JobId second = jobs.enqueue("ordered", new Labelled("d2"), JobOptions.defaults().dedupeKey("welcome:7"));
		assertThat(second).isEqualTo(first);
		assertThat(jobs.depths("ordered").waiting()).isEqualTo(1);
		jobs.resume("ordered");
		assertThat(awaitFinal("ordered", first).state()).isEqualTo(JobState.COMPLETED);
		JobId third = jobs.enqueue("ordered", new Labelled("d3"), JobOptions.defaults().dedupeKey("welcome:7"));
		assertThat(third).isNotEqualTo(first);
		awaitFinal("ordered", third);
	}

	@Test
	void waitingJobCanBeCancelled() {
		jobs.pause("ordered");
		try {
			JobId id = jobs.enqueue("ordered", new Labelled("cancel-me"));
			assertThat(jobs.cancel("ordered", id)).isTrue();
			assertThat(jobs.cancel("ordered", id)).isFalse();
			assertThat(jobs.status("ordered", id)).isNull();
			assertThat(jobs.depths("ordered").waiting()).isZero();
		}
		finally {
			jobs.resume("ordered");
		}
	}

	@Test
	void retentionKeepsTheNumberOfCompletedJobsBounded() {
		List<Integer> numbers = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			numbers.add(i);
		}
		List<JobId> ids = jobs.enqueueAll("bulk", JobQueues.DEFAULT_NAME, numbers, JobOptions.defaults());
		assertThat(ids).hasSize(2000).doesNotHaveDuplicates();
		await().atMost(Duration.ofSeconds(60)).until(() -> {
			QueueDepths depths = jobs.depths("bulk");
			return depths.waiting() == 0 && depths.active() == 0 && depths.delayed() == 0;
		});
		// complete trims by count now and then; the periodic maintenance trims exactly
		StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
		String jobPattern = context.getBean(QueueKeys.class).base("bulk") + ":j:*";
		await().untilAsserted(() -> {
			assertThat(jobs.depths("bulk").completed()).isEqualTo(100);
			assertThat(countKeys(template, jobPattern)).isEqualTo(100);
		});
		assertThat(jobs.status("bulk", ids.get(ids.size() - 1))).isNotNull();
		assertThat(jobs.status("bulk", ids.get(0))).isNull();
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

	@Test
	void rateLimitedQueueStartsNoMoreThanItsLimitPerPeriod() {
		List<JobId> ids = jobs.enqueueAll("limited", JobQueues.DEFAULT_NAME,
				java.util.stream.IntStream.range(0, 14).mapToObj((i) -> new Labelled("l" + i)).toList(),
				JobOptions.defaults());
		Map<Long, Integer> startsPerWindow = new java.util.TreeMap<>();
		for (JobId id : ids) {
			JobStatus status = awaitFinal("limited", id);
			// the take script decides with the rate-limit package's sliding window (exact: no interval of 300 ms
			// starts more than 4) on the Redis clock, the same clock as startedAt
			startsPerWindow.merge(status.startedAt().toEpochMilli() / 300, 1, Integer::sum);
		}
		assertThat(startsPerWindow.values()).allSatisfy((starts) -> assertThat(starts).isLessThanOrEqualTo(4));
		assertThat(startsPerWindow).hasSizeGreaterThanOrEqualTo(4);
	}

	@Test
	void metricsHealthAndEndpointDescribeTheQueues() {
		JobId id = jobs.enqueue("emails", new Email("metrics@example.com", 1));
		awaitFinal("emails", id);
		io.micrometer.core.instrument.MeterRegistry meters = context
			.getBean(io.micrometer.core.instrument.MeterRegistry.class);
		await().untilAsserted(() -> {
			assertThat(meters.get("redis.patterns.queue.jobs").tag("queue", "emails").tag("outcome", "completed")
				.counter().count()).isPositive();
			assertThat(meters.get("redis.patterns.queue.jobs").tag("queue", "emails").tag("outcome", "retried")
				.counter().count()).isPositive();
		});
		assertThat(meters.get("redis.patterns.queue.handler").tag("queue", "emails").tag("outcome", "error")
			.timer().count()).isPositive();
		assertThat(meters.get("redis.patterns.queue.wait").tag("queue", "emails").timer().count()).isPositive();
		assertThat(meters.get("redis.patterns.queue.depth").tag("queue", "emails").tag("state", "waiting")
			.gauge().value()).isGreaterThanOrEqualTo(0);
		io.redispatterns.core.PatternHealthDetails health = context
			.getBean(io.redispatterns.core.PatternHealthDetails.class);
		assertThat(health.patternName()).isEqualTo("queue");
		org.springframework.boot.health.contributor.Health report = health.health();
		assertThat(report.getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.UP);
		assertThat(report.getDetails().get("queues").toString()).contains("queue=emails").contains("paused=false")
			.contains("dead=");
		io.redispatterns.core.PatternEndpointDetails endpoint = context
			.getBean(io.redispatterns.core.PatternEndpointDetails.class);
		assertThat(endpoint.describe().toString()).contains("queue=ordered").contains("handlers=")
			.contains("send");
	}

	@Test
	void enqueueInsideATransactionWaitsForTheCommitAndARollbackEnqueuesNothing() {
		TransactionTemplate transactions = new TransactionTemplate(new NoOpTransactionManager());
		jobs.pause("ordered");
		try {
			long before = jobs.depths("ordered").waiting();
			JobId rolledBack = transactions.execute((status) -> {
				JobId id = jobs.enqueue("ordered", new Labelled("rolled-back"));
				status.setRollbackOnly();
				return id;
			});
			assertThat(jobs.status("ordered", rolledBack)).isNull();
			JobId committed = transactions.execute((status) -> {
				JobId id = jobs.enqueue("ordered", new Labelled("committed"));
				assertThat(jobs.status("ordered", id)).isNull();
				return id;
			});
			assertThat(jobs.status("ordered", committed)).isNotNull();
			JobId immediate = transactions.execute((status) -> {
				JobId id = jobs.enqueue("ordered", new Labelled("immediate"), JobOptions.defaults().immediately());
				status.setRollbackOnly();
				return id;
			});
			assertThat(jobs.status("ordered", immediate)).isNotNull();
			assertThat(jobs.depths("ordered").waiting()).isEqualTo(before + 2);
		}
		finally {
			jobs.resume("ordered");
		}
	}

	/** A transaction manager without a resource: enough to drive transaction synchronization. */
	static class NoOpTransactionManager extends AbstractPlatformTransactionManager {

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, org.springframework.transaction.TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}

	}

}
