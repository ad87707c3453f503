package io.redispatterns.queue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graceful shutdown: a handler that finishes within the shutdown timeout completes its job; a job still running
 * after it goes back to waiting without counting the attempt.
 */
class JobQueueShutdownTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static volatile CountDownLatch started;

	static volatile CountDownLatch release;

	record Work(long millis) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Object slowHandler() {
			return new Object() {
				@RedisJobHandler(queue = "slow")
				String run(Work work) throws InterruptedException {
					started.countDown();
					if (work.millis() < 0) {
						release.await();
						return "released";
					}
					// the shutdown starts while this runs; it finishes within the shutdown timeout
					release.await(work.millis(), TimeUnit.MILLISECONDS);
					return "done";
				}
			};
		}

	}

	@BeforeEach
	void reset() {
		redis.flushAll();
		started = new CountDownLatch(1);
		release = new CountDownLatch(1);
	}

	@Test
	void handlerFinishingWithinTheShutdownTimeoutCompletesItsJob() throws InterruptedException {
		ConfigurableApplicationContext context = QueueContexts.start(redis, Handlers.class);
		JobQueues jobs = context.getBean(JobQueues.class);
		JobId id = jobs.enqueue("slow", new Work(300));
		assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
		context.close();
		try (ConfigurableApplicationContext reader = QueueContexts.start(redis, Object.class)) {
			JobStatus status = reader.getBean(JobQueues.class).status("slow", id);
			assertThat(status.state()).isEqualTo(JobState.COMPLETED);
			assertThat(status.resultJson()).isEqualTo("\"done\"");
		}
	}

	@Test
	void jobStillRunningAfterTheShutdownTimeoutGoesBackToWaitingWithoutCountingTheAttempt()
			throws InterruptedException {
		ConfigurableApplicationContext context = QueueContexts.start(redis, Handlers.class,
				"redis-patterns.queue.shutdown-timeout=200ms");
		JobQueues jobs = context.getBean(JobQueues.class);
		JobId id = jobs.enqueue("slow", new Work(-1));
		assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
		context.close();
		try (ConfigurableApplicationContext reader = QueueContexts.start(redis, Object.class)) {
			JobQueues after = reader.getBean(JobQueues.class);
			JobStatus status = after.status("slow", id);
			assertThat(status.state()).isEqualTo(JobState.WAITING);
			assertThat(status.attempts()).isZero();
			assertThat(after.depths("slow").active()).isZero();
		}
		finally {
			release.countDown();
		}
		// a new instance runs it
		started = new CountDownLatch(1);
		try (ConfigurableApplicationContext next = QueueContexts.start(redis, Handlers.class)) {
			release.countDown();
			JobStatus done = next.getBean(JobQueues.class).awaitResult("slow", id, Duration.ofSeconds(20));
			assertThat(done.state()).isEqualTo(JobState.COMPLETED);
			assertThat(done.attempts()).isEqualTo(1);
		}
	}

}
