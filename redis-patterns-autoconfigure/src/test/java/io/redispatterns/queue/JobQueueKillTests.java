package io.redispatterns.queue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.redispatterns.queue.internal.QueueKeys;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker in another JVM is killed with SIGKILL ({@code kill -9}) while its handlers hold jobs: after their
 * lease those jobs are recovered and completed by a worker of this JVM; every job completes exactly once here.
 */
class JobQueueKillTests {

	static final StandaloneRedis redis = (StandaloneRedis) EmbeddedRedis.shared(RedisTopology.STANDALONE);

	/** Job id to how many times a handler of this JVM ran it. */
	static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	@Configuration(proxyBeanMethods = false)
	static class Producer {

	}

	@Configuration(proxyBeanMethods = false)
	static class Survivor {

		@Bean
		Object survivingHandler() {
			return new Object() {
				@RedisJobHandler(queue = "crash", concurrency = 4)
				void run(Integer job, JobContext context) {
					runs.computeIfAbsent(context.id().value(), (id) -> new AtomicInteger()).incrementAndGet();
				}
			};
		}

	}

	@Test
	void jobsHeldByAKilledWorkerProcessFinishElsewhereAfterTheirLease() throws Exception {
		redis.flushAll();
		runs.clear();
		ConfigurableApplicationContext producer = QueueContexts.start(redis, Producer.class);
		Process worker = null;
		ConfigurableApplicationContext survivor = null;
		try {
			JobQueues jobs = producer.getBean(JobQueues.class);
			List<JobId> ids = jobs.enqueueAll("crash", JobQueues.DEFAULT_NAME,
					IntStream.range(0, 20).boxed().toList(), JobOptions.defaults());
			Path log = Files.createTempFile("crashing-worker", ".log");
			worker = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
					CrashingWorkerMain.class.getName(), redis.node().host(), Integer.toString(redis.node().port()))
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			Process started = worker;
			await().atMost(Duration.ofSeconds(120))
				.until(() -> jobs.depths("crash").active() == 4 || !started.isAlive());
			assertThat(worker.isAlive()).as("worker process (log in %s)", log).isTrue();
			// an active job's member is its lease: "<id>|<start>|<token>"
			Set<String> held = producer.getBean(StringRedisTemplate.class)
				.opsForZSet()
				.range(producer.getBean(QueueKeys.class).active("crash"), 0, -1)
				.stream()
				.map((lease) -> lease.substring(0, lease.indexOf('|')))
				.collect(java.util.stream.Collectors.toSet());
			assertThat(held).hasSize(4);
			worker.destroyForcibly();
			assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(worker.exitValue()).isEqualTo(137);
			survivor = QueueContexts.start(redis, Survivor.class, "redis-patterns.queue.lease=3s");
			await().atMost(Duration.ofSeconds(60)).until(() -> jobs.depths("crash").completed() == 20);
			assertThat(runs).containsOnlyKeys(ids.stream().map(JobId::value).toList());
			List<String> duplicates = new ArrayList<>();
			runs.forEach((id, count) -> {
				if (count.get() != 1) {
					duplicates.add(id);
				}
			});
			assertThat(duplicates).as("jobs run more than once in the surviving JVM").isEmpty();
			for (String id : held) {
				JobStatus status = jobs.status("crash", JobId.of(id));
				// the attempt lost with the killed process counts
				assertThat(status.state()).isEqualTo(JobState.COMPLETED);
				assertThat(status.attempts()).isEqualTo(2);
			}
			// handler runs in total: 20 completions here plus the 4 attempts lost with the killed process
			System.out.println("Kill -9 test: " + held.size() + " jobs held by the killed worker re-ran here; "
					+ duplicates.size() + " duplicate runs in the survivor; 20 of 20 completed once");
		}
		finally {
			if (worker != null) {
				worker.destroyForcibly();
			}
			if (survivor != null) {
				survivor.close();
			}
			producer.close();
		}
	}

	private static String javaBinary() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
	}

}
