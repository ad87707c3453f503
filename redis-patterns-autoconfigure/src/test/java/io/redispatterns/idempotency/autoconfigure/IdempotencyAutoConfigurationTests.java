package io.redispatterns.idempotency.autoconfigure;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.idempotency.IdempotencyFailureMode;
import io.redispatterns.idempotency.IdempotencySettings;
import io.redispatterns.idempotency.IdempotencyStore;
import io.redispatterns.idempotency.Idempotent;
import io.redispatterns.idempotency.MissingKeyBehavior;
import io.redispatterns.idempotency.internal.IdempotencyExceptionHandler;
import io.redispatterns.idempotency.internal.IdempotencyFilter;
import io.redispatterns.idempotency.internal.IdempotencyHandlerInterceptor;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions, back-off, property binding and start-up validation of the idempotency
 * auto-configuration.
 */
@WithRedis
class IdempotencyAutoConfigurationTests {

	private RedisDeployment redis;

	private WebApplicationContextRunner webRunner() {
		return new WebApplicationContextRunner()
			.withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails)
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, IdempotencyAutoConfiguration.class));
	}

	@Test
	void registersTheFilterInterceptorAndProblemHandlerInAServletWebApplication() {
		webRunner().run((context) -> {
			assertThat(context).hasSingleBean(IdempotencyFilter.class)
				.hasSingleBean(IdempotencyHandlerInterceptor.class)
				.hasSingleBean(IdempotencyExceptionHandler.class)
				.hasSingleBean(IdempotencyStore.class);
			IdempotencySettings settings = context.getBean(IdempotencySettings.class);
			assertThat(settings.headerName()).isEqualTo("Idempotency-Key");
			assertThat(settings.missingKey()).isEqualTo(MissingKeyBehavior.PROCESS);
			assertThat(settings.failureMode()).isEqualTo(IdempotencyFailureMode.FAIL_CLOSED);
			assertThat(settings.maxBodySize()).isEqualTo(64 * 1024);
		});
	}

	@Test
	void bindsProperties() {
		webRunner()
			.withPropertyValues("redis-patterns.idempotency.header-name=X-Request-Id",
					"redis-patterns.idempotency.window=1h", "redis-patterns.idempotency.missing-key=reject",
					"redis-patterns.idempotency.failure-mode=fail-open",
					"redis-patterns.idempotency.max-body-size=2KB",
					"redis-patterns.idempotency.response-headers=Location")
			.run((context) -> {
				IdempotencySettings settings = context.getBean(IdempotencySettings.class);
				assertThat(settings.headerName()).isEqualTo("X-Request-Id");
				assertThat(settings.ttl()).hasHours(1);
				assertThat(settings.missingKey()).isEqualTo(MissingKeyBehavior.REJECT);
				assertThat(settings.failureMode()).isEqualTo(IdempotencyFailureMode.FAIL_OPEN);
				assertThat(settings.maxBodySize()).isEqualTo(2048);
				assertThat(settings.responseHeaders()).containsExactly("Location");
			});
	}

	@Test
	void backsOffWhenDisabled() {
		webRunner().withPropertyValues("redis-patterns.idempotency.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(IdempotencyFilter.class)
				.doesNotHaveBean(IdempotencyHandlerInterceptor.class));
	}

	@Test
	void isNotConfiguredOutsideAServletWebApplication() {
		new ApplicationContextRunner().withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails)
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, IdempotencyAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(IdempotencyFilter.class));
	}

	@Test
	void backsOffWhenTheApplicationDefinesTheStore() {
		webRunner().withBean("customStore", IdempotencyStore.class,
				() -> new IdempotencyStore(org.mockito.Mockito.mock(RedisConnectionFactory.class)))
			.run((context) -> assertThat(context).getBean(IdempotencyStore.class)
				.isSameAs(context.getBean("customStore")));
	}

	@Test
	void invalidHeaderNameFailsStartUpNamingTheProperty() {
		webRunner().withPropertyValues("redis-patterns.idempotency.header-name=Idempotency Key")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("redis-patterns.idempotency.header-name"));
	}

	@Test
	void zeroWindowOrLeaseFailsStartUpNamingTheProperty() {
		webRunner().withPropertyValues("redis-patterns.idempotency.window=0s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.idempotency.window"));
		webRunner().withPropertyValues("redis-patterns.idempotency.lease=0s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.idempotency.lease"));
	}

	@Test
	void storingSetCookieIsRefused() {
		webRunner().withPropertyValues("redis-patterns.idempotency.response-headers=Location,Set-Cookie")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.idempotency.response-headers"));
	}

	@Test
	void malformedAnnotationAttributeFailsStartUpNamingTheHandler() {
		webRunner().withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class))
			.withUserConfiguration(BadController.class)
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("@Idempotent on BadController.place (window)"));
	}

	@RestController
	static class BadController {

		@Idempotent(window = "soon")
		@PostMapping("/bad")
		String place() {
			return "ok";
		}

	}

}
