package io.redispatterns.web.autoconfigure;

import java.time.Duration;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.web.RedisFailureExceptionResolver;
import io.redispatterns.web.RedisFailureProblems;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;

class RedisFailureWebAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RedisFailureWebAutoConfiguration.class));

	@Test
	void registersTheResolverAndTheFilterInAServletApplication() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RedisFailureExceptionResolver.class);
			assertThat(context).hasBean("redisPatternsRedisFailureFilterRegistration");
			assertThat(context.getBean("redisPatternsRedisFailureFilterRegistration", FilterRegistrationBean.class).getOrder())
				.isLessThan(Integer.MIN_VALUE + 50);
			assertThat(context.getBean(RedisFailureProblems.class).retryAfterSeconds()).isEqualTo(1);
		});
	}

	@Test
	void backsOffWhenTheApplicationDefinesItsOwnResolver() {
		this.runner
			.withBean("ownResolver", RedisFailureExceptionResolver.class,
					() -> new RedisFailureExceptionResolver(new RedisFailureProblems(Duration.ofSeconds(9))))
			.run((context) -> assertThat(context).hasSingleBean(RedisFailureExceptionResolver.class)
				.hasBean("ownResolver"));
	}

	@Test
	void canBeTurnedOff() {
		this.runner.withPropertyValues("redis-patterns.web.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisFailureExceptionResolver.class)
				.doesNotHaveBean("redisPatternsRedisFailureFilterRegistration"));
	}

	@Test
	void notInANonWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RedisFailureWebAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RedisFailureExceptionResolver.class));
	}

	@Test
	void retryAfterRoundsUpToWholeSecondsAndMustBePositive() {
		this.runner.withPropertyValues("redis-patterns.web.retry-after=1500ms")
			.run((context) -> assertThat(context.getBean(RedisFailureProblems.class).retryAfterSeconds()).isEqualTo(2));
		this.runner.withPropertyValues("redis-patterns.web.retry-after=0s")
			.run((context) -> assertThat(context).getFailure()
				.hasRootCauseInstanceOf(InvalidRedisPatternsPropertyException.class)
				.rootCause()
				.hasMessageContaining("redis-patterns.web.retry-after"));
	}

}
