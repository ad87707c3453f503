package io.redispatterns.ratelimit.autoconfigure;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitExceededException;
import io.redispatterns.ratelimit.RateLimitMetrics;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RateLimitRequest;
import io.redispatterns.ratelimit.RateLimited;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.ratelimit.internal.RateLimitAnnotationSupport;
import io.redispatterns.ratelimit.internal.RedisRateLimiter;
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
		assertBindingFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.q.algorithm=leaky-bucket",
				"redis-patterns.rate-limit.policies.q.limit=5", "redis-patterns.rate-limit.policies.q.window=1s"),
				"redis-patterns.rate-limit.policies.q.algorithm");
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
	void ratesOfABillionPerSecondOrMinuteAreAcceptedAndRatesTheScriptsCannotComputeExactlyFailStartUp() {
		runner().withPropertyValues("redis-patterns.rate-limit.policies.g.limit=1000000000",
				"redis-patterns.rate-limit.policies.g.window=1s", "redis-patterns.rate-limit.policies.m.limit=1000000000",
				"redis-patterns.rate-limit.policies.m.window=1m",
				"redis-patterns.rate-limit.policies.b.algorithm=token-bucket",
				"redis-patterns.rate-limit.policies.b.capacity=1000000000",
				"redis-patterns.rate-limit.policies.b.refill-rate=1000000000/1m",
				"redis-patterns.rate-limit.policies.s.algorithm=token-bucket",
				"redis-patterns.rate-limit.policies.s.capacity=1000000000",
				"redis-patterns.rate-limit.policies.s.refill-rate=1000000000/1s")
			.run((context) -> assertThat(context).hasNotFailed());
		// 999,999,937 is prime: per day, the exact interval needs limit x window in microseconds
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.g.limit=999999937",
				"redis-patterns.rate-limit.policies.g.window=1d"), "redis-patterns.rate-limit.policies.g.window",
				"exact arithmetic");
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.b.algorithm=token-bucket",
				"redis-patterns.rate-limit.policies.b.capacity=1000000000",
				"redis-patterns.rate-limit.policies.b.refill-rate=999999937/1d"),
				"redis-patterns.rate-limit.policies.b.refill-rate", "exact arithmetic");
	}

	@Test
	void otherBadSettingsFailStartUpNamingTheProperty() {
		assertBindingFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.q.limit=5",
				"redis-patterns.rate-limit.policies.q.window=1s", "redis-patterns.rate-limit.policies.q.missing-key=maybe"),
				"redis-patterns.rate-limit.policies.q.missing-key");
		assertFails(runner().withPropertyValues("redis-patterns.rate-limit.policies.q.limit=5",
				"redis-patterns.rate-limit.policies.q.window=1s", "redis-patterns.rate-limit.policies.q.key=ipp"),
				"redis-patterns.rate-limit.policies.q.key", "header:<name>");
		assertBindingFails(runner().withPropertyValues("redis-patterns.rate-limit.header-style=fancy"),
				"redis-patterns.rate-limit.header-style");
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
		// decisions are Redis's: a slow machine must not turn one into a fail-open timeout
		runner().withPropertyValues("redis-patterns.rate-limit.policies.r.algorithm=fixed-window",
				"redis-patterns.rate-limit.policies.r.limit=2", "redis-patterns.rate-limit.policies.r.window=1h",
				"redis-patterns.rate-limit.timeout=10s")
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

	@Test
	void refreshThatWouldBreakRequestsKeepsTheRunningPoliciesAndACostAboveTheLimitIsARejection() {
		runner().withBean(CostsTwo.class)
			.withPropertyValues("redis-patterns.rate-limit.policies.r.algorithm=fixed-window",
					"redis-patterns.rate-limit.policies.r.limit=3", "redis-patterns.rate-limit.policies.r.window=1h",
					"redis-patterns.rate-limit.policies.r.key=global", "redis-patterns.rate-limit.policies.r.paths=/api/**")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RateLimiter limiter = context.getBean(RateLimiter.class);
				RateLimitAutoConfiguration.RateLimitPolicyRefresher refresher = context
					.getBean(RateLimitAutoConfiguration.RateLimitPolicyRefresher.class);
				Map<String, Object> refreshed = new java.util.HashMap<>();
				context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("refreshed", refreshed));
				// below the cost of @RateLimited(policy = "r", cost = 2): every call would fail
				refreshed.put("redis-patterns.rate-limit.policies.r.limit", "1");
				assertThat(refresher.refresh()).isFalse();
				assertThat(limiter.policy("r").limit()).isEqualTo(3);
				// a path that is not PathPattern syntax: every request would fail
				refreshed.put("redis-patterns.rate-limit.policies.r.limit", "4");
				refreshed.put("redis-patterns.rate-limit.policies.r.paths[0]", "/api/{bad");
				assertThat(refresher.refresh()).isFalse();
				assertThat(limiter.policy("r").limit()).isEqualTo(3);
				assertThat(limiter.policy("r").paths()).containsExactly("/api/**");
				refreshed.remove("redis-patterns.rate-limit.policies.r.paths[0]");
				assertThat(refresher.refresh()).isTrue();
				assertThat(limiter.policy("r").limit()).isEqualTo(4);
				// the API does not validate uses: a cost above the limit is then a rejection, not an error
				limiter.updatePolicy(limiter.policy("r").withLimit(1));
				RateLimitDecision decision = limiter.tryAcquire("r", "any", 2);
				assertThat(decision.outcome()).isEqualTo(RateLimitDecision.Outcome.REJECTED);
				assertThat(decision.violatedPolicies()).containsExactly("r");
				CostsTwo bean = context.getBean(CostsTwo.class);
				org.assertj.core.api.Assertions.assertThatExceptionOfType(RateLimitExceededException.class)
					.isThrownBy(bean::call);
			});
	}

	@Test
	void inlineLimitsOnNonWebBeansDefaultToAGlobalKeyAndOnControllersToTheClientIp() {
		runner().withBean(InlineService.class).withBean(InlineController.class).run((context) -> {
			assertThat(context).hasNotFailed();
			RateLimiter limiter = context.getBean(RateLimiter.class);
			assertThat(limiter.policy("InlineService.call").key()).isEqualTo("global");
			assertThat(limiter.policy("InlineController.call").key()).isEqualTo("ip");
			// no request here: with an ip key every call would be refused (missing-key: deny)
			InlineService service = context.getBean(InlineService.class);
			service.call();
			service.call();
			org.assertj.core.api.Assertions.assertThatExceptionOfType(RateLimitExceededException.class)
				.isThrownBy(service::call)
				.satisfies((ex) -> assertThat(ex.getDecision().violatedPolicies()).containsExactly("InlineService.call"));
		});
	}

	private static void assertBindingFails(ApplicationContextRunner runner, String property) {
		runner.run((AssertableApplicationContext context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			while (failure != null && !(failure instanceof org.springframework.boot.context.properties.bind.BindException)) {
				failure = failure.getCause();
			}
			assertThat(failure).as("BindException in %s", context.getStartupFailure()).isNotNull();
			assertThat(((org.springframework.boot.context.properties.bind.BindException) failure).getName())
				.hasToString(property);
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

	static class InlineService {

		@RateLimited(limit = 2, window = "1h")
		public void call() {
		}

	}

	@org.springframework.web.bind.annotation.RestController
	static class InlineController {

		@RateLimited(limit = 2, window = "1h")
		public void call() {
		}

	}

	static class CostsTwo {

		@RateLimited(policy = "r", cost = 2)
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


	@Test
	void nonWebApplicationsWithoutTheServletApiStillGetTheRateLimiter() {
		runner().withClassLoader(new FilteredClassLoader("jakarta.servlet"))
			.withPropertyValues("redis-patterns.rate-limit.policies.exports.limit=2",
					"redis-patterns.rate-limit.policies.exports.window=1m",
					"redis-patterns.rate-limit.policies.exports.key=global", "redis-patterns.rate-limit.timeout=10s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(RateLimitAnnotationSupport.class);
				RateLimiter limiter = context.getBean(RateLimiter.class);
				String tenant = "tenant-" + System.nanoTime();
				assertThat(limiter.tryAcquire("exports", tenant).isAllowed()).isTrue();
				assertThat(limiter.tryAcquire("exports", tenant).isAllowed()).isTrue();
				assertThat(limiter.tryAcquire("exports", tenant).isAllowed()).isFalse();
			});
	}

}
