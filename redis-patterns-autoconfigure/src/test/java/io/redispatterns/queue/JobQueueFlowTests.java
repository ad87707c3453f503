package io.redispatterns.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Flows: a parent job on one queue runs once, after its children on other queues, and sees their results; a
 * dead child fails the parent unless it was added as ignoring failure.
 */
class JobQueueFlowTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static final AtomicInteger childrenDone = new AtomicInteger();

	/** Parent job id to the number of children done when it started, one entry per run. */
	static final Map<String, List<Integer>> parentRuns = new ConcurrentHashMap<>();

	static final Map<String, Map<JobId, String>> parentResults = new ConcurrentHashMap<>();

	static final Map<String, Map<JobId, String>> parentFailures = new ConcurrentHashMap<>();

	static volatile CountDownLatch slowChild = new CountDownLatch(0);

	static ConfigurableApplicationContext context;

	static JobQueues jobs;

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Object flowHandlers() {
			return new Object() {
				@RedisJobHandler(queue = "parts", name = "part")
				String part(String name) {
					childrenDone.incrementAndGet();
					return "part " + name;
				}

				@RedisJobHandler(queue = "paint", name = "paint")
				String paint(String colour) throws InterruptedException {
					// holds the last child until the test has seen the parent waiting
					assertThat(slowChild.await(30, TimeUnit.SECONDS)).isTrue();
					childrenDone.incrementAndGet();
					return colour + " paint";
				}

				@RedisJobHandler(queue = "parts", name = "broken", maxAttempts = 1)
				String broken(String name) {
					throw new IllegalStateException("no " + name + " in stock");
				}

				@RedisJobHandler(queue = "orders", name = "assemble")
				String assemble(String order, JobContext context) {
					parentRuns.computeIfAbsent(context.id().value(), (id) -> new java.util.concurrent.CopyOnWriteArrayList<>())
						.add(childrenDone.get());
					parentResults.put(context.id().value(), context.childResults());
					parentFailures.put(context.id().value(), context.childFailures());
					return order + " assembled of " + context.childResults().size() + " parts";
				}
			};
		}

	}

	@BeforeAll
	static void start() {
		redis.flushAll();
		context = QueueContexts.start(redis, Handlers.class);
		jobs = context.getBean(JobQueues.class);
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@BeforeEach
	void reset() {
		childrenDone.set(0);
		slowChild = new CountDownLatch(0);
	}

	@Test
	void parentRunsOnceAfterItsLastChildWithTheirResults() {
		slowChild = new CountDownLatch(1);
		FlowJob flow = FlowJob.of("orders", "assemble", "order-1")
			.child(FlowJob.of("parts", "part", "wheel"))
			.child(FlowJob.of("parts", "part", "frame"))
			.child(FlowJob.of("paint", "paint", "red"));
		List<JobId> ids = jobs.enqueueFlow(flow);
		assertThat(ids).hasSize(4);
		JobId parent = ids.get(0);
		await().atMost(Duration.ofSeconds(30)).until(() -> childrenDone.get() == 2);
		assertThat(jobs.status("orders", parent).state()).isEqualTo(JobState.WAITING_CHILDREN);
		slowChild.countDown();
		JobStatus done = jobs.awaitResult("orders", parent, Duration.ofSeconds(30));
		assertThat(done).isNotNull();
		assertThat(done.state()).isEqualTo(JobState.COMPLETED);
		assertThat(done.resultJson()).isEqualTo("\"order-1 assembled of 3 parts\"");
		assertThat(parentRuns.get(parent.value())).containsExactly(3);
		assertThat(parentResults.get(parent.value())).containsOnly(Map.entry(ids.get(1), "\"part wheel\""),
				Map.entry(ids.get(2), "\"part frame\""), Map.entry(ids.get(3), "\"red paint\""));
		assertThat(parentFailures.get(parent.value())).isEmpty();
		assertThat(jobs.status("paint", ids.get(3)).state()).isEqualTo(JobState.COMPLETED);
	}

	@Test
	void deadChildFailsTheParentWhichNeverRuns() {
		List<JobId> ids = jobs.enqueueFlow(FlowJob.of("orders", "assemble", "order-2")
			.child(FlowJob.of("parts", "part", "wheel"))
			.child(FlowJob.of("parts", "broken", "engine")));
		JobId parent = ids.get(0);
		JobStatus done = jobs.awaitResult("orders", parent, Duration.ofSeconds(30));
		assertThat(done).isNotNull();
		assertThat(done.state()).isEqualTo(JobState.DEAD);
		assertThat(done.error()).contains(ids.get(2).value()).contains("no engine in stock");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> jobs.status("parts", ids.get(1)).state() == JobState.COMPLETED);
		assertThat(jobs.status("orders", parent).state()).isEqualTo(JobState.DEAD);
		assertThat(parentRuns).doesNotContainKey(parent.value());
	}

	@Test
	void deadChildIgnoringFailureLetsTheParentRunWithTheError() {
		List<JobId> ids = jobs.enqueueFlow(FlowJob.of("orders", "assemble", "order-3")
			.child(FlowJob.of("parts", "part", "wheel"))
			.child(FlowJob.of("parts", "broken", "horn").ignoringFailure()));
		JobId parent = ids.get(0);
		JobStatus done = jobs.awaitResult("orders", parent, Duration.ofSeconds(30));
		assertThat(done).isNotNull();
		assertThat(done.state()).isEqualTo(JobState.COMPLETED);
		assertThat(parentRuns.get(parent.value())).hasSize(1);
		assertThat(parentResults.get(parent.value())).containsOnly(Map.entry(ids.get(1), "\"part wheel\""));
		assertThat(parentFailures.get(parent.value())).containsOnlyKeys(ids.get(2));
		assertThat(parentFailures.get(parent.value()).get(ids.get(2))).contains("no horn in stock");
		// the child reports to its parent before its own state changes, so the parent may finish first
		await().atMost(Duration.ofSeconds(30))
			.until(() -> jobs.status("parts", ids.get(2)).state() == JobState.DEAD);
	}

}
