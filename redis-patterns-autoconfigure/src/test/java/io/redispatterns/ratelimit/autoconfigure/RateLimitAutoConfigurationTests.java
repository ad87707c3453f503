package io.redispatterns.ratelimit.autoconfigure;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitMetrics;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RateLimitRequest;
import io.redispatterns.ratelimit.RateLimited;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.ratelimit.RedisRateLimiter;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.WithRedis;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions, back-off, start-up validation and refresh of {@link RateLimitAutoConfiguration}.
 */
@WithRedis
class RateLimitAutoConfigurationTests {

	RedisDeployment redis;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails)
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, RateLimitAutoConfiguration.class))
			.withPropertyValues("redis-patterns.key-prefix=rlac");
	}

	@Test
	void configuresARedisRateLimiterWithTheConfiguredPolicies() {
		runner().withPropertyValues("redis-patterns.rate-limit.policies.quotes.algorithm=sliding-window",
				"redis-patterns.rate-limit.policies.quotes.limit=100", "redis-patterns.rate-limit.policies.quotes.window=1m",
				"redis-patterns.rate-limit.policies.reports.algorithm=token-bucket",
				"redis-patterns.rate-limit.policies.reports.capacity=20",
				"redis-patterns.rate-limit.policies.reports.refill-rate=5/s",
				"redis-patterns.rate-limit.policies.reports.key=header:X-Api-Key")
			.run((context) -> {
				RateLimiter limiter = context.getBean(RateLimiter.class);
				assertThat(limiter).isInstanceOf(RedisRateLimiter.class);
				assertThat(limiter.policy("quotes").describeLimits()).isEqualTo("100 per 1m");
				assertThat(limiter.policy("reports").describeLimits()).isEqualTo("capacity 20, refill 5/1s");
				assertThat(limiter.policy("reports").key()).isEqualTo("header:X-Api-Key");
			});
	}

	@Test
	void backsOffWhenTheApplicationDefinesARateLimiter() {
		runner().withBean(RateLimiter.class, AllowAll::new).run((context) -> {
			assertThat(context).hasSingleBean(RateLimiter.class);
			assertThat(context).doesNotHaveBean(RedisRateLimiter.class);
			assertThat(context.getBean(RateLimiter.class)).isInstanceOf(AllowAll.class);
		});
	}

	@Test
	void isOffWhenDisabled() {
		runner().withPropertyValues("redis-patterns.rate-limit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RateLimiter.class));
	}

	@Test
	void worksWithoutMicrometer() {
		runner().withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.withPropertyValues("redis-patterns.rate-limit.policies.p.limit=1", "redis-patterns.rate-limit.policies.p.window=1m")
			.run((context) -> {
				assertThat(context).hasSingleBean(RateLimiter.class);
				assertThat(context).doesNotHaveBean(RateLimitMetrics.class);
				assertThat(context.getBean(RateLimiter.class).tryAcquire("p", "no-micrometer-" + System.nanoTime())
					.isAllowed()).isTrue();
			});
	}

	@Test
	void unknownAlgorithmFailsStartUpNamingTheProperty() {
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.q.algorithm=leaky-bucket",
				"redis-patterns.rate-limit.policies.q.limit=5", "redis-patterns.rate-limit.policies.q.window=1s"),
				"redis-patterns.rate-limit.policies.q.algorithm", "fixed-window, sliding-window");
	}

	@Test
	void zeroOrNegativeLimitsAndWindowsFailStartUp() {
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.q.limit=0",
				"redis-patterns.rate-limit.policies.q.window=1s"), "redis-patterns.rate-limit.policies.q.limit", "1");
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.q.limit=5",
				"redis-patterns.rate-limit.policies.q.window=-1s"), "redis-patterns.rate-limit.policies.q.window",
				"1ms");
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.q.limit=5",
				"redis-patterns.rate-limit.policies.q.window=0s"), "redis-patterns.rate-limit.policies.q.window", "1ms");
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.t.algorithm=token-bucket",
				"redis-patterns.rate-limit.policies.t.capacity=-3", "redis-patterns.rate-limit.policies.t.refill-rate=1/s"),
				"redis-patterns.rate-limit.policies.t.capacity", "1");
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.t.algorithm=token-bucket",
				"redis-patterns.rate-limit.policies.t.capacity=3", "redis-patterns.rate-limit.policies.t.refill-rate=0/s"),
				"redis-patterns.rate-limit.policies.t.refill-rate", "5/s");
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.q.limit=5"),
				"redis-patterns.rate-limit.policies.q.window", "duration");
	}

	@Test
	void slidingWindowLimitAboveItsMemoryCapFailsStartUp() {
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.q.algorithm=sliding-window",
				"redis-patterns.rate-limit.policies.q.limit=10001", "redis-patterns.rate-limit.policies.q.window=1m"),
				"redis-patterns.rate-limit.policies.q.limit", "10000 for sliding-window");
		runner().withPropertyValues("redis-patterns.rate-limit.policies.q.algorithm=sliding-window",
				"redis-patterns.rate-limit.policies.q.limit=10000", "redis-patterns.rate-limit.policies.q.window=1m",
				"redis-patterns.rate-limit.policies.c.algorithm=sliding-window-counter",
				"redis-patterns.rate-limit.policies.c.limit=10001", "redis-patterns.rate-limit.policies.c.window=1m")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void otherBadSettingsFailStartUpNamingTheProperty() {
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.q.limit=5",
				"redis-patterns.rate-limit.policies.q.window=1s", "redis-patterns.rate-limit.policies.q.missing-key=maybe"),
				"redis-patterns.rate-limit.policies.q.missing-key", "deny, allow, shared");
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.q.limit=5",
				"redis-patterns.rate-limit.policies.q.window=1s", "redis-patterns.rate-limit.policies.q.key=ipp"),
				"redis-patterns.rate-limit.policies.q.key", "header:<name>");
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.header-style=fancy"),
				"redis-patterns.rate-limit.header-style", "x-ratelimit, ietf, both, none");
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.trusted-proxies=10.0.0.0/40"),
				"redis-patterns.rate-limit.trusted-proxies", "CIDR");
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.timeout=0ms"),
				"redis-patterns.rate-limit.timeout", "positive");
	}

	@Test
	void annotationNamingAnUnconfiguredPolicyFailsStartUp() {
		assertFails(runner().withBean(Limited.class), "redis-patterns.rate-limit.policies.nope", "configured");
	}

	@Test
	void invalidInlineAnnotationFailsStartUp() {
		assertFails(runner().withBean(BadInline.class), "@RateLimited on BadInline.call (limit)", "1 and");
	}

	@Test
	void refreshingTheConfigurationUpdatesPoliciesAndKeepsCounters() {
		runner().withPropertyValues("redis-patterns.rate-limit.policies.r.algorithm=fixed-window",
				"redis-patterns.rate-limit.policies.r.limit=2", "redis-patterns.rate-limit.policies.r.window=1h")
			.run((context) -> {
				RateLimiter limiter = context.getBean(RateLimiter.class);
				String client = "refresh-" + System.nanoTime();
				assertThat(limiter.tryAcquire("r", client).isAllowed()).isTrue();
				assertThat(limiter.tryAcquire("r", client).isAllowed()).isTrue();
				assertThat(limiter.tryAcquire("r", client).isAllowed()).isFalse();
				context.getEnvironment()
					.getPropertySources()
					.addFirst(new MapPropertySource("refreshed", Map.of("redis-patterns.rate-limit.policies.r.limit", "3")));
				context.getBean(RateLimitAutoConfiguration.RateLimitPolicyRefresher.class).refresh();
				assertThat(limiter.policy("r").limit()).isEqualTo(3);
				assertThat(limiter.tryAcquire("r", client).isAllowed()).isTrue();
				assertThat(limiter.tryAcquire("r", client).isAllowed()).isFalse();
			});
	}

	private static void assertFails(ApplicationContextRunner runner, String property, String allowedFragment) {
		runner.run((AssertableApplicationContext context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			while (failure != null && !(failure instanceof InvalidRedisPatternsPropertyException)) {
				failure = failure.getCause();
			}
			assertThat(failure).as("InvalidRedisPatternsPropertyException in %s", context.getStartupFailure())
				.isInstanceOf(InvalidRedisPatternsPropertyException.class);
			InvalidRedisPatternsPropertyException invalid = (InvalidRedisPatternsPropertyException) failure;
			assertThat(invalid.getProperty()).isEqualTo(property);
			assertThat(invalid.getAllowed()).contains(allowedFragment);
		});
	}

	static class Limited {

		@RateLimited(policy = "nope")
		public void call() {
		}

	}

	static class BadInline {

		@RateLimited(limit = 0, window = "1s")
		public void call() {
		}

	}

	static class AllowAll implements RateLimiter {

		@Override
		public RateLimitDecision tryAcquire(List<RateLimitRequest> requests) {
			return new RateLimitDecision(RateLimitDecision.Outcome.ALLOWED, List.of());
		}

		@Override
		public @Nullable RateLimitPolicy policy(String name) {
			return null;
		}

		@Override
		public Collection<RateLimitPolicy> policies() {
			return List.of();
		}

		@Override
		public void updatePolicy(RateLimitPolicy policy) {
		}

	}

}
