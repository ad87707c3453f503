package io.redispatterns.queue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.ClientOptions;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Redis faults between the application and Redis, injected by a TCP proxy: unreachable Redis, a reply lost
 * with a reset connection (outcome unknown), and a reply lost with an orderly close (Lettuce re-sends the
 * script: a real replay).
 */
class JobQueueFailureTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	record Task(String name) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Object taskHandler() {
			return new Object() {
				@RedisJobHandler(queue = "tasks")
				void run(Task task) {
					runs.computeIfAbsent(task.name(), (name) -> new AtomicInteger()).incrementAndGet();
				}
			};
		}

	}

	/** Lettuce failing commands at once while disconnected instead of waiting for the reconnect. */
	@Configuration(proxyBeanMethods = false)
	@Import(Handlers.class)
	static class RejectWhileDisconnected {

		@Bean
		LettuceClientOptionsBuilderCustomizer rejectWhileDisconnected() {
			return (builder) -> builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
		}

	}

	private RedisProxy proxy;

	@BeforeEach
	void startProxy() {
		redis.flushAll();
		runs.clear();
		this.proxy = RedisProxy.start(redis.dataNodes().get(0));
	}

	@AfterEach
	void stopProxy() {
		this.proxy.close();
	}

	private ConfigurableApplicationContext start() {
		return start(Handlers.class);
	}

	private ConfigurableApplicationContext start(Class<?> configuration) {
		return QueueContexts.start(this.proxy.connectionDetails(), configuration, "spring.data.redis.timeout=2s",
				"spring.data.redis.connect-timeout=1s");
	}

	@Test
	void enqueueOnTheOpenSharedConnectionIsOutcomeUnknownWithoutAReplyAndUnavailableWhileDisconnected() {
		try (ConfigurableApplicationContext context = start(RejectWhileDisconnected.class)) {
			JobQueues jobs = context.getBean(JobQueues.class);
			jobs.pause("tasks");
			// the enqueue path now holds Lettuce's shared connection and sends on it directly
			jobs.enqueue("tasks", new Task("before"), JobOptions.defaults().withJobId("before-1"));
			this.proxy.blackHole(true);
			assertThatExceptionOfType(JobQueueOutcomeUnknownException.class)
				.isThrownBy(() -> jobs.enqueue("tasks", new Task("unanswered"), JobOptions.defaults().withJobId("bh-1")))
				.satisfies((ex) -> assertThat(ex.getJobIds()).containsExactly(JobId.of("bh-1")))
				.withMessageContaining("outcome is unknown");
			this.proxy.blackHole(false);
			this.proxy.refuse(true);
			// until Lettuce sees the reset, a write may still go out on the dead socket (outcome unknown)
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThatExceptionOfType(JobQueueUnavailableException.class)
					.isThrownBy(() -> jobs.enqueue("tasks", new Task("refused")))
					.withMessageContaining("nothing was written"));
			this.proxy.refuse(false);
			// the same shared connection reconnects: the direct path works again
			await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
				jobs.enqueue("tasks", new Task("after"), JobOptions.defaults().withJobId("after-2"));
				return true;
			});
			jobs.resume("tasks");
			await().atMost(Duration.ofSeconds(20)).until(() -> runs.containsKey("after"));
			assertThat(runs).doesNotContainKey("refused");
		}
	}

	@Test
	void enqueueWithRedisUnreachableThrowsUnavailableAndWorkersResumeWhenItReturns() {
		this.proxy.refuse(true);
		try (ConfigurableApplicationContext context = start()) {
			JobQueues jobs = context.getBean(JobQueues.class);
			assertThatExceptionOfType(JobQueueUnavailableException.class)
				.isThrownBy(() -> jobs.enqueue("tasks", new Task("refused")))
				.satisfies((ex) -> assertThat(ex.getQueue()).isEqualTo("tasks"))
				.withMessageContaining("nothing was written");
			this.proxy.refuse(false);
			await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
				jobs.enqueue("tasks", new Task("after"), JobOptions.defaults().withJobId("after-1"));
				return true;
			});
			await().atMost(Duration.ofSeconds(20)).until(() -> runs.containsKey("after"));
			assertThat(runs).doesNotContainKey("refused");
			assertThat(runs.get("after")).hasValue(1);
		}
	}

	@Test
	void replyLostWithAResetIsOutcomeUnknownAndEnqueueingTheSameIdAgainWritesOneJob() {
		try (ConfigurableApplicationContext context = start()) {
			JobQueues jobs = context.getBean(JobQueues.class);
			jobs.pause("tasks");
			this.proxy.dropReplyOnce("lost-reset-1", RedisProxy.Close.RST);
			assertThatExceptionOfType(JobQueueOutcomeUnknownException.class)
				.isThrownBy(() -> jobs.enqueue("tasks", new Task("reset"), JobOptions.defaults().withJobId("lost-reset-1")))
				.satisfies((ex) -> assertThat(ex.getJobIds()).containsExactly(JobId.of("lost-reset-1")));
			JobId again = await().atMost(Duration.ofSeconds(20))
				.ignoreExceptions()
				.until(() -> jobs.enqueue("tasks", new Task("reset"), JobOptions.defaults().withJobId("lost-reset-1")),
						(id) -> true);
			assertThat(again).isEqualTo(JobId.of("lost-reset-1"));
			assertThat(jobs.depths("tasks").waiting()).isEqualTo(1);
			jobs.resume("tasks");
			assertThat(jobs.awaitResult("tasks", again, Duration.ofSeconds(20)).state()).isEqualTo(JobState.COMPLETED);
			assertThat(runs.get("reset")).hasValue(1);
		}
	}

	@Test
	void enqueueResentAfterAnOrderlyCloseWritesOneJob() {
		try (ConfigurableApplicationContext context = start()) {
			JobQueues jobs = context.getBean(JobQueues.class);
			jobs.pause("tasks");
			this.proxy.dropReplyOnce("lost-fin-1", RedisProxy.Close.FIN);
			JobId id = jobs.enqueue("tasks", new Task("fin"), JobOptions.defaults().withJobId("lost-fin-1"));
			assertThat(this.proxy.dropFired()).isTrue();
			assertThat(this.proxy.forwardedCount("lost-fin-1")).isEqualTo(2);
			assertThat(id).isEqualTo(JobId.of("lost-fin-1"));
			assertThat(jobs.depths("tasks").waiting()).isEqualTo(1);
			jobs.resume("tasks");
			assertThat(jobs.awaitResult("tasks", id, Duration.ofSeconds(20)).state()).isEqualTo(JobState.COMPLETED);
			assertThat(runs.get("fin")).hasValue(1);
		}
	}

}
