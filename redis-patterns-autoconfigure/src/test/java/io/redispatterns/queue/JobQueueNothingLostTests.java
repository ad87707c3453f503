package io.redispatterns.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.redispatterns.queue.internal.JobWorkerContainer;
import io.redispatterns.queue.internal.JobWorkerRegistry;
import io.redispatterns.test.ClusterRedis;
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
 * Three instances run one queue; one of them crashes mid-run (its workers stop without completing, failing or
 * giving back anything). Its leases expire, the others recover the jobs, and every job ends completed or
 * dead-lettered: none is lost. Handler runs of the same job more than once are counted and reported.
 */
class JobQueueNothingLostTests {

	static final int JOBS = 10_000;

	/** Job number to how many times a handler finished it (across instances). */
	static final Map<Integer, AtomicInteger> handled = new ConcurrentHashMap<>();

	static final AtomicInteger total = new AtomicInteger();

	static volatile CountDownLatch enqueued = new CountDownLatch(1);

	@Configuration(proxyBeanMethods = false)
	static class Worker {

		@Bean
		Object numberHandler() {
			return new Object() {
				@RedisJobHandler(queue = "numbers", concurrency = 4, maxAttempts = 2)
				void run(int number) throws InterruptedException {
					enqueued.await();
					if (number % 1000 == 999) {
						throw new IllegalStateException("job " + number + " always fails");
					}
					handled.computeIfAbsent(number, (n) -> new AtomicInteger()).incrementAndGet();
					total.incrementAndGet();
				}
			};
		}

	}

	@Test
	void everyJobIsCompletedOrDeadWhenOneOfThreeInstancesCrashes() {
		run(EmbeddedRedis.shared(RedisTopology.STANDALONE), JOBS);
	}

	@Test
	void everyJobIsCompletedOrDeadWhenOneOfThreeInstancesCrashesOnCluster() {
		run(EmbeddedRedis.shared(RedisTopology.CLUSTER), JOBS / 5);
	}

	private void run(RedisDeployment redis, int jobCount) {
		redis.flushAll();
		handled.clear();
		total.set(0);
		enqueued = new CountDownLatch(1);
		String[] settings = { "redis-patterns.queue.lease=1s", "redis-patterns.queue.stalled-check-interval=200ms",
				"redis-patterns.queue.retention.completed=" + (2 * jobCount) };
		List<ConfigurableApplicationContext> contexts = new ArrayList<>();
		long start = System.nanoTime();
		try {
			for (int i = 0; i < 3; i++) {
				contexts.add(QueueContexts.start(redis, Worker.class, settings));
			}
			JobQueues jobs = contexts.get(0).getBean(JobQueues.class);
			List<Integer> numbers = new ArrayList<>();
			for (int i = 0; i < jobCount; i++) {
				numbers.add(i);
			}
			List<JobId> ids = jobs.enqueueAll("numbers", JobQueues.DEFAULT_NAME, numbers, JobOptions.defaults());
			assertThat(ids).hasSize(jobCount).doesNotHaveDuplicates();
			enqueued.countDown();
			await().atMost(Duration.ofSeconds(30)).until(() -> total.get() >= jobCount / 4);
			ConfigurableApplicationContext crashed = contexts.remove(2);
			JobWorkerContainer container = crashed.getBean(JobWorkerRegistry.class).containers().get(0);
			int running = container.inFlight();
			container.abort();
			System.out.printf("crashed one instance after %d jobs handled, with %d jobs running on it%n", total.get(),
					running);
			crashed.close();
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
				QueueDepths depths = jobs.depths("numbers");
				return depths.waiting() + depths.active() + depths.delayed() == 0
						&& depths.completed() + depths.dead() == jobCount;
			});
			QueueDepths depths = jobs.depths("numbers");
			long duplicates = handled.values().stream().filter((n) -> n.get() > 1).count();
			long extraRuns = handled.values().stream().mapToInt((n) -> n.get() - 1).sum();
			System.out.printf(
					"nothing-lost (%s): %d jobs, %d completed, %d dead, %d distinct jobs handled, %d handled more than once (%d extra runs), %d ms%n",
					redis.topology(), jobCount, depths.completed(), depths.dead(), handled.size(), duplicates,
					extraRuns, (System.nanoTime() - start) / 1_000_000);
			assertThat(depths.completed()).isEqualTo(jobCount - jobCount / 1000);
			assertThat(depths.dead()).isEqualTo(jobCount / 1000);
			assertThat(handled).hasSize(jobCount - jobCount / 1000);
			DeadJobs dead = contexts.get(0).getBean(DeadJobs.class);
			assertThat(dead.list("numbers", 100)).allSatisfy(
					(job) -> assertThat(Integer.parseInt(job.payloadJson()) % 1000).isEqualTo(999));
			if (redis instanceof ClusterRedis cluster) {
				assertThat(cluster.nodeForKey("t:queue:{numbers}:wait").port())
					.isEqualTo(cluster.nodeForKey("t:queue:{numbers}:j:x").port());
			}
		}
		finally {
			contexts.forEach(ConfigurableApplicationContext::close);
		}
	}

}
