package io.redispatterns.cache;

import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.crypto.autoconfigure.EncryptionAutoConfiguration;
import io.redispatterns.test.RedisDeployment;
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
 * decrypt is a miss (never an error), and keys rotate. The envelope authenticates the Redis key, so
 * each topology runs it (on Cluster the keys carry hash tags): see the subclasses.
 */
abstract class EncryptedCacheTests {

	protected abstract RedisDeployment deployment();

	static final String K1 = "redis-patterns.encryption.keys.k1=" + Base64.getEncoder().encodeToString(new byte[32]);

	static final String K2 = "redis-patterns.encryption.keys.k2="
			+ Base64.getEncoder().encodeToString("0123456789abcdef".getBytes());

	private ApplicationContextRunner runner(String prefix, String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, EncryptionAutoConfiguration.class,
					RedisPatternsCacheAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, deployment()::connectionDetails)
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
			tamper(redisTemplate, keyOf(redisTemplate, prefix, "rpe1$"));

			String value = cache.getOrLoad("accounts", "bob", String.class, () -> "bob's balance " + loads.incrementAndGet());

			assertThat(value).as("loaded again, no error").isEqualTo("bob's balance 2");
			assertThat(context.getBean(MeterRegistry.class).counter("redis.patterns.cache.corrupt", "cache", "accounts")
				.count()).isEqualTo(1.0);
			assertThat(cache.get("accounts", "bob", String.class)).isEqualTo("bob's balance 2");
		});
	}

	@Test
	void anEntryCopiedToAnotherKeyIsAMissBecauseTheEnvelopeAuthenticatesItsKey() {
		String prefix = prefix();
		runner(prefix, K1, "redis-patterns.encryption.active-key=k1").run((context) -> {
			CacheTemplate cache = context.getBean(CacheTemplate.class);
			cache.put("accounts", "gina", "gina's card");
			cache.put("accounts", "hugo", "hugo's card");
			StringRedisTemplate redisTemplate = context.getBean(StringRedisTemplate.class);
			String gina = entryKey(redisTemplate, prefix, "gina");
			String hugo = entryKey(redisTemplate, prefix, "hugo");
			// copied with GET and SET: on Cluster the two keys usually live in different slots
			redisTemplate.opsForValue().set(hugo, redisTemplate.opsForValue().get(gina));

			assertThat(cache.get("accounts", "gina", String.class)).isNotNull();
			assertThat(cache.get("accounts", "hugo", String.class)).as("a copied entry").isNull();
			assertThat(context.getBean(MeterRegistry.class).counter("redis.patterns.cache.corrupt", "cache", "accounts")
				.count()).isEqualTo(1.0);
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
	void putAllEncryptsEveryValueAndGetAllDecryptsThem() {
		String prefix = prefix();
		runner(prefix, K1, "redis-patterns.encryption.active-key=k1").run((context) -> {
			CacheTemplate cache = context.getBean(CacheTemplate.class);
			Map<String, String> cards = new LinkedHashMap<>();
			// enough keys to spread over every Cluster master
			for (int i = 0; i < 12; i++) {
				cards.put("holder-" + i, "card number 4111-" + i);
			}
			cache.putAll("accounts", cards, Duration.ofMinutes(5));

			StringRedisTemplate redisTemplate = context.getBean(StringRedisTemplate.class);
			List<String> stored = storedStrings(redisTemplate, prefix);
			assertThat(stored).as("one entry per value").hasSize(cards.size());
			assertThat(stored).allSatisfy((value) -> assertThat(value).contains("rpe1$k1$").doesNotContain("card number"));
			assertThat(cache.getAll("accounts", cards.keySet(), String.class)).isEqualTo(cards);
		});
	}

	@Test
	void getAllTreatsATamperedEntryAsAMissAndCountsIt() {
		String prefix = prefix();
		runner(prefix, K1, "redis-patterns.encryption.active-key=k1").run((context) -> {
			CacheTemplate cache = context.getBean(CacheTemplate.class);
			cache.putAll("accounts", Map.of("erin", "erin's card", "finn", "finn's card"), null);
			StringRedisTemplate redisTemplate = context.getBean(StringRedisTemplate.class);
			tamper(redisTemplate, keyOf(redisTemplate, prefix, "rpe1$"));

			Map<String, String> found = cache.getAll("accounts", List.of("erin", "finn"), String.class);

			assertThat(found).as("one of the two still decrypts").hasSize(1);
			assertThat(context.getBean(MeterRegistry.class).counter("redis.patterns.cache.corrupt", "cache", "accounts")
				.count()).isEqualTo(1.0);
			Map<String, String> reloaded = cache.getAll("accounts", List.of("erin", "finn"), String.class,
					(missing) -> {
						Map<String, String> loaded = new LinkedHashMap<>();
						missing.forEach((name) -> loaded.put(name, name + "'s card, loaded"));
						return loaded;
					});
			assertThat(reloaded).hasSize(2).containsValue(found.values().iterator().next());
			assertThat(reloaded.values()).filteredOn((value) -> value.endsWith("loaded")).hasSize(1);
		});
	}

	@Test
	void anEncryptedCacheWithoutKeysFailsStartUpNamingTheProperty() {
		runner(prefix()).run((context) -> assertThat(context).getFailure()
			.rootCause()
			.isInstanceOf(InvalidRedisPatternsPropertyException.class)
			.hasMessageContaining("redis-patterns.cache.caches.accounts.encrypted"));
	}

	/** Changes one character of the stored ciphertext (not the last: it may carry unused bits). */
	private static void tamper(StringRedisTemplate redis, String key) {
		String stored = redis.opsForValue().get(key);
		int at = stored.length() - 8;
		redis.opsForValue().set(key, stored.substring(0, at) + ((stored.charAt(at) == 'A') ? 'B' : 'A') + stored.substring(at + 1));
	}

	/** The string values under {@code prefix} (cache entries; loader locks are gone once loaded). */
	private static List<String> storedStrings(StringRedisTemplate redis, String prefix) {
		return storedKeys(redis, prefix).stream().map((key) -> redis.opsForValue().get(key)).toList();
	}

	/** The keys of the string values under {@code prefix}, on every Cluster master. */
	private static List<String> storedKeys(StringRedisTemplate redis, String prefix) {
		return redis.keys(prefix + ":*").stream().filter((key) -> redis.type(key).code().equals("string")).toList();
	}

	/** The key of the entry of {@code id} in the accounts cache: its hash tag names the entry. */
	private static String entryKey(StringRedisTemplate redis, String prefix, String id) {
		return storedKeys(redis, prefix).stream()
			.filter((key) -> key.endsWith("{" + RedisKeys.escape("accounts:" + id) + "}"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no hash-tagged entry key for " + id));
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
