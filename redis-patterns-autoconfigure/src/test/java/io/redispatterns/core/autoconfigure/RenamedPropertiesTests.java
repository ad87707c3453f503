package io.redispatterns.core.autoconfigure;

import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.redispatterns.cache.autoconfigure.RedisPatternsCacheProperties;
import io.redispatterns.idempotency.autoconfigure.IdempotencyProperties;
import io.redispatterns.leaderboard.autoconfigure.LeaderboardProperties;
import io.redispatterns.lock.autoconfigure.LockProperties;
import io.redispatterns.pubsub.autoconfigure.PubSubProperties;
import io.redispatterns.queue.autoconfigure.JobQueueProperties;
import io.redispatterns.ratelimit.FailureMode;
import io.redispatterns.ratelimit.MissingKeyBehavior;
import io.redispatterns.ratelimit.RateLimitAlgorithm;
import io.redispatterns.ratelimit.RateLimitHeaderStyle;
import io.redispatterns.ratelimit.autoconfigure.RateLimitProperties;
import io.redispatterns.responsecache.autoconfigure.ResponseCacheProperties;
import io.redispatterns.session.autoconfigure.RedisPatternsSessionProperties;
import io.redispatterns.stream.autoconfigure.StreamProperties;
import io.redispatterns.transaction.autoconfigure.RedisPatternsTransactionProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every property renamed before 1.0 binds under its new name, and under its old name for one more release: the
 * old name is deprecated (with its replacement) in the configuration metadata, and a renamed group's old names
 * are logged as deprecated. Closed choices bind as enums, unset limits as absent. Pure binding: no Redis.
 */
@ExtendWith(OutputCaptureExtension.class)
class RenamedPropertiesTests {

	/** Old name to new name, with a value that differs from the default. */
	private static final Map<String, String[]> RENAMED = new LinkedHashMap<>();

	static {
		rename("redis-patterns.client.reconnect-max-delay", "redis-patterns.client.reconnect.max", "750ms");
		rename("redis-patterns.pubsub.start-retry-interval", "redis-patterns.pubsub.reconnect.max", "750ms");
		rename("redis-patterns.lock.default-lease", "redis-patterns.lock.lease", "12s");
		rename("redis-patterns.lock.default-wait", "redis-patterns.lock.wait-for", "250ms");
		rename("redis-patterns.cache.default-ttl", "redis-patterns.cache.ttl", "7m");
		rename("redis-patterns.cache.lock-wait", "redis-patterns.cache.wait-for", "3s");
		rename("redis-patterns.cache.caches.products.lock-wait", "redis-patterns.cache.caches.products.wait-for", "2s");
		rename("redis-patterns.response-cache.default-ttl", "redis-patterns.response-cache.ttl", "90s");
		rename("redis-patterns.idempotency.ttl", "redis-patterns.idempotency.window", "2h");
		rename("redis-patterns.leaderboard.event-id-ttl", "redis-patterns.leaderboard.idempotency-window", "3h");
		rename("redis-patterns.transaction.initial-backoff", "redis-patterns.transaction.backoff.initial", "7ms");
		rename("redis-patterns.transaction.max-backoff", "redis-patterns.transaction.backoff.max", "70ms");
		rename("redis-patterns.streams.block", "redis-patterns.stream.block", "3s");
		rename("redis-patterns.streams.idempotency-window", "redis-patterns.stream.idempotency-window", "20m");
		rename("redis-patterns.streams.retry.max", "redis-patterns.stream.retry.max", "4s");
		rename("redis-patterns.streams.reconnect.max", "redis-patterns.stream.reconnect.max", "2s");
		rename("redis-patterns.streams.per-stream.orders.max-length", "redis-patterns.stream.per-stream.orders.max-length",
				"10");
	}

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withInitializer((context) -> new RenamedPropertyGroups((log) -> log.get()).apply(context.getEnvironment()))
		.withUserConfiguration(AllProperties.class);

	private static void rename(String oldName, String newName, String value) {
		RENAMED.put(oldName, new String[] { newName, value });
	}

	@Test
	void newNamesBind() {
		this.runner.withPropertyValues(values(false)).run(this::assertRenamedValuesApplied);
	}

	@Test
	void oldNamesStillBindToTheSameSettings() {
		this.runner.withPropertyValues(values(true)).run(this::assertRenamedValuesApplied);
	}

	@Test
	void newNameWinsOverTheOldNameOfARenamedGroup() {
		this.runner.withPropertyValues("redis-patterns.streams.block=3s", "redis-patterns.stream.block=5s")
			.run((context) -> assertThat(context.getBean(StreamProperties.class).getBlock())
				.isEqualTo(Duration.ofSeconds(5)));
	}

	@Test
	void oldNameOfARenamedGroupIsLoggedAsDeprecated(CapturedOutput output) {
		this.runner.withPropertyValues("redis-patterns.streams.claim-idle=45s").run((context) -> {
			assertThat(context.getBean(StreamProperties.class).getClaimIdle()).isEqualTo(Duration.ofSeconds(45));
			assertThat(output).contains("Property 'redis-patterns.streams.claim-idle' is deprecated and will be removed "
					+ "in the next release; use 'redis-patterns.stream.claim-idle' instead");
		});
	}

	@Test
	void renamedGroupIsCopiedInAnApplicationStartedBySpringBoot() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AllProperties.class)
			.web(WebApplicationType.NONE)
			.properties("redis-patterns.streams.enabled=false", "redis-patterns.streams.max-deliveries=9")
			.run()) {
			assertThat(context.getBean(StreamProperties.class).getMaxDeliveries()).isEqualTo(9);
			assertThat(context.getEnvironment().getProperty("redis-patterns.stream.enabled")).isEqualTo("false");
		}
	}

	@Test
	void closedChoicesBindAsEnumsFromTheirConfigurationValues() {
		this.runner
			.withPropertyValues("redis-patterns.rate-limit.header-style=x-ratelimit",
					"redis-patterns.rate-limit.policies.api.algorithm=token-bucket",
					"redis-patterns.rate-limit.policies.api.missing-key=shared",
					"redis-patterns.rate-limit.policies.api.failure-mode=fail-closed",
					"redis-patterns.queue.per-queue.mails.rate-algorithm=sliding-window-counter")
			.run((context) -> {
				RateLimitProperties rateLimit = context.getBean(RateLimitProperties.class);
				assertThat(rateLimit.getHeaderStyle()).isEqualTo(RateLimitHeaderStyle.X_RATELIMIT);
				RateLimitProperties.Policy policy = rateLimit.getPolicies().get("api");
				assertThat(policy.getAlgorithm()).isEqualTo(RateLimitAlgorithm.TOKEN_BUCKET);
				assertThat(policy.getMissingKey()).isEqualTo(MissingKeyBehavior.SHARED);
				assertThat(policy.getFailureMode()).isEqualTo(FailureMode.FAIL_CLOSED);
				assertThat(context.getBean(JobQueueProperties.class).getPerQueue().get("mails").getRateAlgorithm())
					.isEqualTo(RateLimitAlgorithm.SLIDING_WINDOW_COUNTER);
			});
	}

	@Test
	void unsetLimitsAreAbsentRatherThanZero() {
		this.runner.withPropertyValues("redis-patterns.queue.per-queue.mails.rate-period=1s").run((context) -> {
			assertThat(context.getBean(RedisPatternsSessionProperties.class).getMaxPerUser()).isNull();
			assertThat(context.getBean(JobQueueProperties.class).getPerQueue().get("mails").getRateLimit()).isNull();
		});
	}

	@Test
	void oldNamesAreDeprecatedInTheMetadataWithTheirReplacement() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getClassLoader()
			.getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
			assertThat(in).isNotNull();
			metadata = JsonMapper.builder().build().readTree(in);
		}
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		metadata.get("properties").forEach((property) -> properties.put(property.get("name").asString(), property));
		RENAMED.forEach((oldName, renamed) -> {
			if (oldName.contains(".caches.") || oldName.contains(".per-stream.")) {
				return; // entries of a map are not listed one by one; their new name is what the map documents
			}
			assertThat(properties).as(oldName).containsKey(oldName);
			JsonNode deprecation = properties.get(oldName).get("deprecation");
			assertThat(deprecation).as("deprecation of " + oldName).isNotNull();
			assertThat(deprecation.get("replacement").asString()).as(oldName).isEqualTo(renamed[0]);
			assertThat(properties).as(renamed[0]).containsKey(renamed[0]);
			assertThat(properties.get(renamed[0]).get("deprecation")).as(renamed[0]).isNull();
		});
	}

	private static String[] values(boolean old) {
		return RENAMED.entrySet()
			.stream()
			.map((entry) -> (old ? entry.getKey() : entry.getValue()[0]) + "=" + entry.getValue()[1])
			.toArray(String[]::new);
	}

	private void assertRenamedValuesApplied(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		assertThat(context.getBean(RedisClientProperties.class).getReconnect().getMax()).isEqualTo(Duration.ofMillis(750));
		assertThat(context.getBean(PubSubProperties.class).getReconnect().getMax()).isEqualTo(Duration.ofMillis(750));
		LockProperties lock = context.getBean(LockProperties.class);
		assertThat(lock.getLease()).isEqualTo(Duration.ofSeconds(12));
		assertThat(lock.getWaitFor()).isEqualTo(Duration.ofMillis(250));
		RedisPatternsCacheProperties cache = context.getBean(RedisPatternsCacheProperties.class);
		assertThat(cache.getTtl()).isEqualTo(Duration.ofMinutes(7));
		assertThat(cache.getWaitFor()).isEqualTo(Duration.ofSeconds(3));
		assertThat(cache.getCaches().get("products").getWaitFor()).isEqualTo(Duration.ofSeconds(2));
		assertThat(context.getBean(ResponseCacheProperties.class).getTtl()).isEqualTo(Duration.ofSeconds(90));
		assertThat(context.getBean(IdempotencyProperties.class).getWindow()).isEqualTo(Duration.ofHours(2));
		assertThat(context.getBean(LeaderboardProperties.class).getIdempotencyWindow()).isEqualTo(Duration.ofHours(3));
		RedisPatternsTransactionProperties.Backoff backoff = context.getBean(RedisPatternsTransactionProperties.class).getBackoff();
		assertThat(backoff.getInitial()).isEqualTo(Duration.ofMillis(7));
		assertThat(backoff.getMax()).isEqualTo(Duration.ofMillis(70));
		StreamProperties stream = context.getBean(StreamProperties.class);
		assertThat(stream.getBlock()).isEqualTo(Duration.ofSeconds(3));
		assertThat(stream.getIdempotencyWindow()).isEqualTo(Duration.ofMinutes(20));
		assertThat(stream.getRetry().getMax()).isEqualTo(Duration.ofSeconds(4));
		assertThat(stream.getReconnect().getMax()).isEqualTo(Duration.ofSeconds(2));
		assertThat(stream.getPerStream().get("orders").getMaxLength()).isEqualTo(10L);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ RedisClientProperties.class, PubSubProperties.class, LockProperties.class,
			RedisPatternsCacheProperties.class, ResponseCacheProperties.class, IdempotencyProperties.class,
			LeaderboardProperties.class, StreamProperties.class, RateLimitProperties.class, JobQueueProperties.class,
			RedisPatternsSessionProperties.class, RedisPatternsTransactionProperties.class })
	static class AllProperties {

	}

}
