package io.redispatterns.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.ratelimit.autoconfigure.RateLimitAutoConfiguration;
import io.redispatterns.test.RedisDeployment;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds application contexts with rate limiting against a test deployment.
 */
public final class RateLimitTestContexts {

	private RateLimitTestContexts() {
	}

	public static ApplicationContextRunner runner(RedisDeployment deployment, String... properties) {
		return runner(deployment::connectionDetails, properties);
	}

	static ApplicationContextRunner runner(Supplier<DataRedisConnectionDetails> connectionDetails,
			String... properties) {
		return new ApplicationContextRunner()
			.withBean(DataRedisConnectionDetails.class, connectionDetails)
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, RateLimitAutoConfiguration.class,
					MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class))
			.withPropertyValues("redis-patterns.key-prefix=rltest")
			.withPropertyValues(properties);
	}

	/** Runs {@code body} with {@code count} contexts open at the same time, then closes them. */
	static void withContexts(ApplicationContextRunner runner, int count,
			Consumer<List<AssertableApplicationContext>> body) {
		open(runner, count, new ArrayList<>(), body);
	}

	private static void open(ApplicationContextRunner runner, int remaining, List<AssertableApplicationContext> open,
			Consumer<List<AssertableApplicationContext>> body) {
		if (remaining == 0) {
			body.accept(open);
			return;
		}
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			open.add(context);
			open(runner, remaining - 1, open, body);
		});
	}

}
