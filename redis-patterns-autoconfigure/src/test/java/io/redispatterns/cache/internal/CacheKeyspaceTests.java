package io.redispatterns.cache.internal;

import java.util.List;

import io.redispatterns.core.RedisKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The value key a cache hit builds in one step is exactly the value key of the entry's full key set, also for
 * keys that need escaping and for tags long enough to be cut and digested.
 */
class CacheKeyspaceTests {

	private final CacheKeyspace keyspace = new CacheKeyspace(new RedisKeys("app"));

	@Test
	void valueKeyIsTheEntrysValueKey() {
		List<String> caches = List.of("products", "a:b", "caché", "x".repeat(60), "y".repeat(130), "");
		List<String> ids = List.of("42", "", "user:7", "with space", "ünïcode", "{braces}", "%", "a".repeat(60),
				"b".repeat(64), "c".repeat(120), "d".repeat(127), "e".repeat(128), "f".repeat(200), "😀".repeat(20));
		for (String cache : caches) {
			for (String id : ids) {
				assertThat(this.keyspace.valueKey(cache, id)).as("cache '%s', id '%s'", cache, id)
					.isEqualTo(this.keyspace.entryKeys(cache, id).value());
				// a second call uses the remembered start of the cache's keys
				assertThat(this.keyspace.valueKey(cache, id)).isEqualTo(this.keyspace.entryKeys(cache, id).value());
			}
		}
	}

	@Test
	void theLoaderLockKeyFollowsFromTheValueKey() {
		CacheKeyspace.EntryKeys keys = this.keyspace.entryKeys("products", "user:7");
		assertThat(this.keyspace.lockKeyOf(this.keyspace.valueKey("products", "user:7"))).isEqualTo(keys.lock());
	}

}
