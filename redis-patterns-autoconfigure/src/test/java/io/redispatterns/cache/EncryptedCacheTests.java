package io.redispatterns.cache;

import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.crypto.autoconfigure.EncryptionAutoConfiguration;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cache marked {@code encrypted}: its values are unreadable in Redis, an entry that does not
 * decrypt is a miss (never an error), and keys rotate.
 */
@WithRedis
class EncryptedCacheTests {

	static StandaloneRedis redis;

	static final String K1 = "redis-patterns.encryption.keys.k1=" + Base64.getEncoder().encodeToString(new byte[32]);

	static final String K2 = "redis-patterns.encryption.keys.k2="
			+ Base64.getEncoder().encodeToString("0123456789abcdef".getBytes());

	private static ApplicationContextRunner runner(String prefix, String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, EncryptionAutoConfiguration.class,
					RedisPatternsCacheAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, redis::connectionDetails)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("redis-patterns.key-prefix=" + prefix, "redis-patterns.cache.caches.accounts.encrypted=true")
			.withPropertyValues(properties);
	}

	private static String prefix() {
		return "enc" + Long.toHexString(System.nanoTime());
	}

	@Test
	void valuesOfAnEncryptedCacheAreUnreadableInRedisAndOtherCachesStayPlain() {
		String prefix = prefix();
		runner(prefix, K1, "redis-patterns.encryption.active-key=k1").run((context) -> {
			CacheTemplate cache = context.getBean(CacheTemplate.class);
			cache.put("accounts", "alice", "IBAN DE89 3704 0044 0532 0130 00");
			cache.put("themes", "alice", "dark blue");

			StringRedisTemplate redisTemplate = context.getBean(StringRedisTemplate.class);
			assertThat(redisTemplate.opsForValue().get(keyOf(redisTemplate, prefix, "rpe1$k1$")))
				.as("the stored accounts entry").doesNotContain("IBAN");
			assertThat(keyOf(redisTemplate, prefix, "dark blue")).as("another cache stays plain").contains("themes");
			assertThat(cache.get("accounts", "alice", String.class)).isEqualTo("IBAN DE89 3704 0044 0532 0130 00");
		});
	}

	@Test
	void aTamperedEntryIsAMissEvictedAndCounted() {
		String prefix = prefix();
		runner(prefix, K1, "redis-patterns.encryption.active-key=k1").run((context) -> {
			CacheTemplate cache = context.getBean(CacheTemplate.class);
			StringRedisTemplate redisTemplate = context.getBean(StringRedisTemplate.class);
			AtomicInteger loads = new AtomicInteger();
			cache.getOrLoad("accounts", "bob", String.class, () -> "bob's balance " + loads.incrementAndGet());
			String key = keyOf(redisTemplate, prefix, "rpe1$");
			String stored = redisTemplate.opsForValue().get(key);
			int at = stored.length() - 8;
			redisTemplate.opsForValue().set(key,
					stored.substring(0, at) + ((stored.charAt(at) == 'A') ? 'B' : 'A') + stored.substring(at + 1));

			String value = cache.getOrLoad("accounts", "bob", String.class, () -> "bob's balance " + loads.incrementAndGet());

			assertThat(value).as("loaded again, no error").isEqualTo("bob's balance 2");
			assertThat(context.getBean(MeterRegistry.class).counter("redis.patterns.cache.corrupt", "cache", "accounts")
				.count()).isEqualTo(1.0);
			assertThat(cache.get("accounts", "bob", String.class)).isEqualTo("bob's balance 2");
		});
	}

	@Test
	void afterAKeyRotationCachedEntriesStillDecryptAndNewOnesUseTheNewKey() {
		String prefix = prefix();
		runner(prefix, K1, "redis-patterns.encryption.active-key=k1")
			.run((context) -> context.getBean(CacheTemplate.class).put("accounts", "carl", "carl's card"));
		runner(prefix, K1, K2, "redis-patterns.encryption.active-key=k2").run((context) -> {
			CacheTemplate cache = context.getBean(CacheTemplate.class);
			assertThat(cache.get("accounts", "carl", String.class)).isEqualTo("carl's card");
			cache.put("accounts", "dora", "dora's card");
			assertThat(keyOf(context.getBean(StringRedisTemplate.class), prefix, "rpe1$k2$")).contains("dora");
		});
	}

	@Test
	void anEncryptedCacheWithoutKeysFailsStartUpNamingTheProperty() {
		runner(prefix()).run((context) -> assertThat(context).getFailure()
			.rootCause()
			.isInstanceOf(InvalidRedisPatternsPropertyException.class)
			.hasMessageContaining("redis-patterns.cache.caches.accounts.encrypted"));
	}

	/** The key of the string value under {@code prefix} that contains {@code mark}. */
	private static String keyOf(StringRedisTemplate redis, String prefix, String mark) {
		for (String key : redis.keys(prefix + ":*")) {
			if (redis.type(key).code().equals("string")) {
				String value = redis.opsForValue().get(key);
				if (value != null && value.contains(mark)) {
					return key;
				}
			}
		}
		throw new AssertionError("no entry contains " + mark);
	}

}
