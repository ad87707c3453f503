package io.redispatterns.lock;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.lock.internal.DistributedLockBeanPostProcessor;
import io.redispatterns.lock.internal.LockEndpointDetails;
import io.redispatterns.lock.internal.LockHealthDetails;
import io.redispatterns.lock.internal.LockSettings;
import io.redispatterns.lock.internal.RedisLockTemplate;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions and property binding of the lock auto-configuration.
 */
@WithRedis
class LockAutoConfigurationTests {

	RedisDeployment redis;

	@Test
	void definesTheTemplatePostProcessorAndActuatorSections() {
		LockTestSupport.runner(this.redis).run((context) -> {
			assertThat(context).hasSingleBean(LockTemplate.class)
				.hasSingleBean(DistributedLockBeanPostProcessor.class)
				.hasSingleBean(LockHealthDetails.class)
				.hasSingleBean(LockEndpointDetails.class);
			RedisLockTemplate template = (RedisLockTemplate) context.getBean(LockTemplate.class);
			assertThat(template.settings().defaultLease()).isEqualTo(Duration.ofSeconds(30));
			assertThat(template.settings().defaultWait()).isZero();
			assertThat(template.settings().fallbackPoll()).isEqualTo(Duration.ofSeconds(1));
			assertThat(template.settings().watchdog()).isTrue();
			assertThat(template.settings().commandTimeout()).isEqualTo(Duration.ofSeconds(2));
		});
	}

	@Test
	void bindsProperties() {
		LockTestSupport.runner(this.redis)
			.withPropertyValues("redis-patterns.lock.lease=10s", "redis-patterns.lock.wait-for=250ms",
					"redis-patterns.lock.fallback-poll=200ms", "redis-patterns.lock.watchdog.enabled=false")
			.run((context) -> {
				LockSettings settings = ((RedisLockTemplate) context.getBean(LockTemplate.class)).settings();
				assertThat(settings.defaultLease()).isEqualTo(Duration.ofSeconds(10));
				assertThat(settings.defaultWait()).isEqualTo(Duration.ofMillis(250));
				assertThat(settings.fallbackPoll()).isEqualTo(Duration.ofMillis(200));
				assertThat(settings.watchdog()).isFalse();
			});
	}

	@Test
	void backsOffWhenTheApplicationDefinesALockTemplate() {
		LockTestSupport.runner(this.redis)
			.withUserConfiguration(UserLocks.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(LockTemplate.class).hasBean("myLocks");
				assertThat(((RedisLockTemplate) context.getBean(LockTemplate.class)).settings().defaultLease())
					.isEqualTo(Duration.ofSeconds(3));
			});
	}

	@Test
	void canBeTurnedOff() {
		LockTestSupport.runner(this.redis).withPropertyValues("redis-patterns.lock.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(LockTemplate.class)
				.doesNotHaveBean(DistributedLockBeanPostProcessor.class)
				.doesNotHaveBean(LockHealthDetails.class);
		});
	}

	@Test
	void invalidPropertiesFailStartUpNamingTheProperty() {
		assertInvalid("redis-patterns.lock.lease=0s", "redis-patterns.lock.lease");
		assertInvalid("redis-patterns.lock.wait-for=-1s", "redis-patterns.lock.wait-for");
		assertInvalid("redis-patterns.lock.fallback-poll=0ms", "redis-patterns.lock.fallback-poll");
		assertInvalid("redis-patterns.lock.wait-for-replicas=-1", "redis-patterns.lock.wait-for-replicas");
		assertInvalid("redis-patterns.lock.watchdog.threads=0", "redis-patterns.lock.watchdog.threads");
	}

	@Test
	void worksWithoutMicrometer() {
		LockTestSupport.runner(this.redis).withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).hasSingleBean(LockTemplate.class).doesNotHaveBean(LockMetrics.class);
			LockLease lease = context.getBean(LockTemplate.class).tryAcquire("no-micrometer", Duration.ofSeconds(5))
				.orElseThrow();
			assertThat(lease.release()).isTrue();
		});
	}

	@Test
	void worksWithoutActuator() {
		LockTestSupport.runner(this.redis)
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.health.contributor",
					"org.springframework.boot.actuate.endpoint"))
			.run((context) -> assertThat(context).hasSingleBean(LockTemplate.class)
				.doesNotHaveBean(LockHealthDetails.class)
				.doesNotHaveBean(LockEndpointDetails.class));
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class UserLocks {

		@org.springframework.context.annotation.Bean
		LockTemplate myLocks(StringRedisTemplate redis, RedisKeys keys) {
			return LockTemplate.builder(redis, keys).defaultLease(Duration.ofSeconds(3)).build();
		}

	}

	private void assertInvalid(String property, String name) {
		LockTestSupport.runner(this.redis).withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("'" + name + "'");
		});
	}

}
