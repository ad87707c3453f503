package io.redispatterns.lock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters of every {@code @DistributedLock} exist at zero from start-up, before any call: a dashboard or
 * an alert on {@code redis.patterns.lock.lost} works before the first loss.
 */
@WithRedis
class LockMetersAtZeroTests {

	RedisDeployment redis;

	@Test
	void metersOfAnnotatedLocksAreRegisteredAtZeroBeforeTheFirstCall() {
		LockTestSupport.runner(this.redis)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withUserConfiguration(Jobs.class)
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("redis.patterns.lock.lost").tag("lock", "nightly-report").counter().count()).isZero();
				assertThat(registry.get("redis.patterns.lock.held").tag("lock", "nightly-report").timer().count()).isZero();
				assertThat(registry.get("redis.patterns.lock.acquire").tag("lock", "nightly-report").timers())
					.extracting((timer) -> timer.getId().getTag("result"))
					.containsExactlyInAnyOrder("acquired", "busy", "timeout", "error");
				assertThat(registry.get("redis.patterns.lock.lost").tag("lock", "ReportJob.unnamed").counter().count())
					.as("an unnamed lock is registered under Class.method")
					.isZero();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Jobs {

		@Bean
		ReportJob reportJob() {
			return new ReportJob();
		}

	}

	static class ReportJob {

		@DistributedLock(name = "nightly-report")
		void run() {
		}

		@DistributedLock
		void unnamed() {
		}

	}

}
