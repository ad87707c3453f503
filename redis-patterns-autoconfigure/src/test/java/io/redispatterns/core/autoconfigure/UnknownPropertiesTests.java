package io.redispatterns.core.autoconfigure;

import io.redispatterns.core.UnknownRedisPatternsPropertyException;
import io.redispatterns.ratelimit.autoconfigure.RateLimitAutoConfiguration;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A misspelt {@code redis-patterns.*} property fails start-up naming it and the nearest valid name,
 * at every depth: a pattern's group, a property of it, a property of a map entry.
 */
@WithRedis
@ExtendWith(OutputCaptureExtension.class)
class UnknownPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UnknownPropertiesAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisPatternsAutoConfiguration.class, RateLimitAutoConfiguration.class));

	@Test
	void misspeltPropertyOfAMapEntryIsNamedWithTheNearestValidName() {
		this.runner.withPropertyValues("redis-patterns.rate-limit.policies.api.limit=10",
				"redis-patterns.rate-limit.policies.api.window=1m", "redis-patterns.rate-limit.policies.api.algoritm=gcra")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOf(UnknownRedisPatternsPropertyException.class);
				UnknownRedisPatternsPropertyException failure = (UnknownRedisPatternsPropertyException) context
					.getStartupFailure();
				assertThat(failure.getProperty()).isEqualTo("redis-patterns.rate-limit.policies.api.algoritm");
				assertThat(failure.getSuggestion()).isEqualTo("redis-patterns.rate-limit.policies.api.algorithm");
				FailureAnalysis analysis = new InvalidPropertyFailureAnalyzer().analyze(failure);
				assertThat(analysis.getDescription()).contains("redis-patterns.rate-limit.policies.api.algoritm")
					.contains("Did you mean 'redis-patterns.rate-limit.policies.api.algorithm'?");
			});
	}

	@Test
	void misspeltPatternNameIsNamedWithTheNearestGroup() {
		this.runner.withPropertyValues("redis-patterns.rate-limt.policies.api.limit=10").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(((UnknownRedisPatternsPropertyException) context.getStartupFailure()).getSuggestion())
				.isEqualTo("redis-patterns.rate-limit.policies.api.limit");
		});
	}

	@Test
	void misspeltTopLevelPropertyIsNamed() {
		this.runner.withPropertyValues("redis-patterns.key-prefx=app").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(((UnknownRedisPatternsPropertyException) context.getStartupFailure()).getSuggestion())
				.isEqualTo("redis-patterns.key-prefix");
		});
	}

	@Test
	void nameFarFromEveryValidOneHasNoSuggestion() {
		this.runner.withPropertyValues("redis-patterns.rate-limit.completely-unrelated-setting=1").run((context) -> {
			assertThat(context).hasFailed();
			UnknownRedisPatternsPropertyException failure = (UnknownRedisPatternsPropertyException) context.getStartupFailure();
			assertThat(failure.getProperty()).isEqualTo("redis-patterns.rate-limit.completely-unrelated-setting");
			assertThat(failure.getSuggestion()).isNull();
		});
	}

	@Test
	void validPropertiesOfEveryKindStartIncludingSwitchesOfPatternsNotLoaded() {
		this.runner
			.withPropertyValues("redis-patterns.key-prefix=app", "redis-patterns.rate-limit.policies.api.limit=10",
					"redis-patterns.rate-limit.policies.api.window=1m", "redis-patterns.rate-limit.policies.api.algorithm=gcra",
					"redis-patterns.cache.enabled=true", "redis-patterns.cache.caches.products.ttl=5m",
					"redis-patterns.stream.per-stream.orders.max-length=1000", "redis-patterns.client.command-timeout=3s",
					"redis-patterns.fail-on-unknown-properties=true")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void deprecatedOldNamesAreAccepted() {
		this.runner.withInitializer((context) -> new RenamedPropertyGroups((log) -> log.get()).apply(context.getEnvironment()))
			.withPropertyValues("redis-patterns.lock.default-wait=1s", "redis-patterns.client.reconnect-max-delay=1s",
					"redis-patterns.cache.default-ttl=5m", "redis-patterns.cache.caches.products.lock-wait=1s",
					"redis-patterns.streams.block=2s", "redis-patterns.streams.per-stream.orders.max-length=1000",
					"redis-patterns.fail-on-unknown-properties=true")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void misspeltNameUnderARenamedGroupIsNamedWithTheNearestValidName() {
		this.runner.withInitializer((context) -> new RenamedPropertyGroups((log) -> log.get()).apply(context.getEnvironment()))
			.withPropertyValues("redis-patterns.streams.blok=2s")
			.run((context) -> {
				assertThat(context).hasFailed();
				UnknownRedisPatternsPropertyException failure = (UnknownRedisPatternsPropertyException) context
					.getStartupFailure();
				assertThat(failure.getProperty()).isEqualTo("redis-patterns.streams.blok");
				assertThat(failure.getSuggestion()).isEqualTo("redis-patterns.stream.block");
			});
	}

	@Test
	void failureCanBeTurnedIntoAWarning(CapturedOutput output) {
		this.runner
			.withPropertyValues("redis-patterns.fail-on-unknown-properties=false", "redis-patterns.key-prefx=app")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains(
						"Unknown property 'redis-patterns.key-prefx' is ignored; did you mean 'redis-patterns.key-prefix'?");
			});
	}

}
