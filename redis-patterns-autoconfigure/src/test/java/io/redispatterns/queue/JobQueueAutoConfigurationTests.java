package io.redispatterns.queue;

import java.time.Duration;
import java.util.List;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.queue.autoconfigure.JobQueueAutoConfiguration;
import io.redispatterns.queue.internal.JobWorkerRegistry;
import io.redispatterns.queue.internal.QueueSettings;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class JobQueueAutoConfigurationTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				RedisPatternsAutoConfiguration.class, JobQueueAutoConfiguration.class))
		.withBean(DataRedisConnectionDetails.class, redis::connectionDetails);

	@Test
	void providesJobQueuesAndDeadJobs() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(JobQueues.class).hasSingleBean(DeadJobs.class));
	}

	@Test
	void backsOffWhenUserDefinesJobQueues() {
		JobQueues own = new JobQueues() {
			@Override
			public JobId enqueue(String queue, String name, Object payload, JobOptions options) {
				return JobId.of("own");
			}

			@Override
			public List<JobId> enqueueAll(String queue, String name, List<?> payloads, JobOptions options) {
				return List.of();
			}

			@Override
			public List<JobId> enqueueFlow(FlowJob parent) {
				return List.of();
			}

			@Override
			public @Nullable JobStatus status(String queue, JobId id) {
				return null;
			}

			@Override
			public boolean cancel(String queue, JobId id) {
				return false;
			}

			@Override
			public void pause(String queue) {
			}

			@Override
			public void resume(String queue) {
			}

			@Override
			public QueueDepths depths(String queue) {
				return new QueueDepths(0, 0, 0, 0, 0, false);
			}

			@Override
			public @Nullable JobStatus awaitResult(String queue, JobId id, Duration timeout) {
				return null;
			}
		};
		this.runner.withBean(JobQueues.class, () -> own)
			.run((context) -> assertThat(context.getBean(JobQueues.class)).isSameAs(own));
	}

	@Test
	void backsOffWhenTheQueueIsDisabled() {
		this.runner.withPropertyValues("redis-patterns.queue.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(JobQueues.class)
				.doesNotHaveBean(JobWorkerRegistry.class));
	}

	@Test
	void worksWithoutMicrometerOnTheClasspath() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(JobQueues.class));
	}

	@Test
	void invalidSettingFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis-patterns.queue.max-attempts=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("redis-patterns.queue.max-attempts"));
		this.runner.withPropertyValues("redis-patterns.queue.backoff.jitter=2")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.queue.backoff"));
	}

	@Test
	void queueRateLimitIsAPolicyOfTheRateLimitPackage() {
		this.runner
			.withPropertyValues("redis-patterns.queue.per-queue.mails.rate-limit=10",
					"redis-patterns.queue.per-queue.mails.rate-algorithm=token-bucket",
					"redis-patterns.queue.per-queue.reports.rate-limit=5")
			.run((context) -> {
				java.util.Map<String, io.redispatterns.ratelimit.RateLimitPolicy> limits = context
					.getBean(QueueSettings.class)
					.rateLimits();
				assertThat(limits.get("mails").algorithm())
					.isEqualTo(io.redispatterns.ratelimit.RateLimitAlgorithm.TOKEN_BUCKET);
				assertThat(limits.get("mails").refillRate())
					.isEqualTo(new io.redispatterns.ratelimit.RefillRate(10, Duration.ofSeconds(1)));
				assertThat(limits.get("reports").algorithm())
					.isEqualTo(io.redispatterns.ratelimit.RateLimitAlgorithm.SLIDING_WINDOW);
				assertThat(limits.get("reports").limit()).isEqualTo(5);
			});
	}

	@Test
	void invalidQueueRateLimitFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis-patterns.queue.per-queue.mails.rate-limit=10",
				"redis-patterns.queue.per-queue.mails.rate-algorithm=leaky")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("redis-patterns.queue.per-queue.mails.rate-algorithm"));
		this.runner.withPropertyValues("redis-patterns.queue.per-queue.mails.rate-limit=20000")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("redis-patterns.queue.per-queue.mails.rate-limit"));
	}

	@Test
	void blockWaitStaysWithinTheRedisCommandTimeout() {
		this.runner.withPropertyValues("spring.data.redis.timeout=1s", "redis-patterns.queue.block=2s")
			.run((context) -> assertThat(context.getBean(QueueSettings.class).block())
				.isEqualTo(Duration.ofMillis(500)));
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoHandlersForOneName {

		@Bean
		Object first() {
			return new Object() {
				@RedisJobHandler(queue = "q")
				void run(String job) {
				}
			};
		}

		@Bean
		Object second() {
			return new Object() {
				@RedisJobHandler(queue = "q")
				void run(String job) {
				}
			};
		}

	}

	@Test
	void twoHandlersForOneJobNameFailStartUp() {
		this.runner.withUserConfiguration(TwoHandlersForOneName.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Two @RedisJobHandler methods run jobs named 'default' of queue 'q'"));
	}

	@Configuration(proxyBeanMethods = false)
	static class RepeatableWithSeparatorInName {

		@Bean
		Object nightly() {
			return new Object() {
				@RedisJobHandler(queue = "q", name = "nightly|report", every = "1h")
				void run(String job) {
				}
			};
		}

	}

	@Test
	void aRepeatableJobWhoseNameCannotBePartOfItsJobIdFailsStartUp() {
		// the tick's job id is "repeat:<name>:<tick>"; a '|' would break the lease "<id>|<start>|<token>"
		this.runner.withUserConfiguration(RepeatableWithSeparatorInName.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("nightly|report"));
	}

}
