package io.redispatterns.cache.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.redispatterns.cache.CacheSettings;
import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.core.LuaScript;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RedisMode;
import io.redispatterns.core.ScriptResult;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;

/**
 * Writing entries outside the loader protocol ({@code put}), removing them — by key, by tag, by key
 * pattern, a whole cache — and keeping the tag indexes.
 * <p>
 * Tag indexes are sorted sets of value keys scored by when their entries expire, pruned on every add
 * ({@code tag-add.lua}). Pattern and whole-cache invalidation {@code SCAN} every master in batches and
 * {@code UNLINK} grouped by slot, never {@code KEYS}. An entry goes with its loader lock, so a load in
 * flight cannot store what it read before the invalidation. Failures are counted, never thrown.
 */
final class CacheWrites {

	private static final int SCAN_BATCH = 500;

	private final CacheRuntime runtime;

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final LuaScript<Long> tagAdd = LuaScript.load(CacheTemplate.class, "tag-add.lua", ScriptResult.LONG);

	CacheWrites(CacheRuntime runtime, StringRedisTemplate redis) {
		this.runtime = runtime;
		this.redis = redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
	}

	/** Stores a value unconditionally: {@code SET} with its TTL, tagged before and after. */
	void put(String cache, CacheKeyspace.EntryKeys k, @Nullable Object value, Collection<String> tags) {
		CacheSettings settings = this.runtime.settings(cache);
		if (value == null && settings.cacheNulls() == null) {
			evictKeys(cache, List.of(k.value(), k.lock()));
			return;
		}
		CacheEntryCodec.Written written;
		try {
			written = this.runtime.codec().encode(cache, k, settings, value, 0);
		}
		catch (CacheEntryCodec.EncodeFailedException ex) {
			LogFactory.getLog(RedisCacheTemplate.class).warn("Cannot encode a value of cache '" + cache + "' as JSON; not cached", ex.getCause());
			return;
		}
		if (!this.runtime.breaker().tryAcquire()) {
			this.runtime.failures().redisFailed(cache, "write", null);
			return;
		}
		try {
			// tagged before the write, so an evictTags running meanwhile finds the key
			addTags(cache, k, tags, written.ttlMillis());
			this.runtime.nearInvalidate(cache, k.value());
			this.redis.opsForValue().set(k.value(), written.entry(), Duration.ofMillis(written.ttlMillis()));
			// again after the write: a read that raced with it must not keep the previous value
			this.runtime.nearInvalidate(cache, k.value());
			this.runtime.breaker().recordSuccess();
			this.runtime.metrics().put(cache);
			// and again after it: an evictTags that removed the key from the set meanwhile must not leave
			// the new entry untagged
			addTags(cache, k, tags, written.ttlMillis());
		}
		catch (RuntimeException ex) {
			this.runtime.failures().redisFailed(cache, "write", ex);
		}
	}

	long evictKeys(String cache, List<String> sameSlotKeys) {
		if (!this.runtime.breaker().tryAcquire()) {
			this.runtime.failures().redisFailed(cache, "evict", null);
			return 0;
		}
		try {
			Long removed = this.redis.unlink(sameSlotKeys);
			sameSlotKeys.forEach((key) -> this.runtime.nearInvalidate(cache, key));
			this.runtime.breaker().recordSuccess();
			this.runtime.metrics().evictions(cache, (removed != null) ? removed : 0);
			return (removed != null) ? removed : 0;
		}
		catch (RuntimeException ex) {
			this.runtime.failures().redisFailed(cache, "evict", ex);
			return 0;
		}
	}

	long evictTags(String cache, Collection<String> tags) {
		long removed = 0;
		for (String tag : tags) {
			if (!this.runtime.breaker().tryAcquire()) {
				this.runtime.failures().redisFailed(cache, "evict", null);
				break;
			}
			String tagKey = this.runtime.keyspace().tagKey(cache, tag);
			// members leave the set only after their entries are gone, so a failure loses none of them
			try (Cursor<ZSetOperations.TypedTuple<String>> members = this.redis.opsForZSet()
				.scan(tagKey, ScanOptions.scanOptions().count(SCAN_BATCH).build())) {
				List<String> batch = new ArrayList<>(SCAN_BATCH);
				while (members.hasNext()) {
					String member = members.next().getValue();
					if (member != null) {
						batch.add(member);
					}
					if (batch.size() >= SCAN_BATCH) {
						removed += unlinkTagged(cache, tagKey, batch);
						batch.clear();
					}
				}
				if (!batch.isEmpty()) {
					removed += unlinkTagged(cache, tagKey, batch);
				}
				this.runtime.breaker().recordSuccess();
			}
			catch (RuntimeException ex) {
				this.runtime.failures().redisFailed(cache, "evict", ex);
			}
		}
		this.runtime.metrics().evictions(cache, removed);
		return removed;
	}

	/** Unlinks tagged entries with their loader locks, then removes them from the tag set. */
	private long unlinkTagged(String cache, String tagKey, List<String> members) {
		List<String> doomed = new ArrayList<>(members.size() * 2);
		for (String member : members) {
			doomed.add(member);
			String lock = this.runtime.keyspace().lockKeyOf(member);
			if (lock != null) {
				doomed.add(lock);
			}
		}
		long removed = unlinkGrouped(doomed);
		members.forEach((member) -> this.runtime.nearInvalidate(cache, member));
		this.redis.opsForZSet().remove(tagKey, members.toArray());
		return removed;
	}

	long scanAndUnlink(String cache, String glob, boolean withLocks) {
		if (!this.runtime.breaker().tryAcquire()) {
			this.runtime.failures().redisFailed(cache, "evict", null);
			return 0;
		}
		long removed = 0;
		try {
			RedisConnectionFactory factory = this.redis.getRequiredConnectionFactory();
			ScanOptions options = ScanOptions.scanOptions().match(glob).count(SCAN_BATCH).build();
			if (RedisMode.of(factory) == RedisMode.CLUSTER) {
				try (RedisClusterConnection connection = factory.getClusterConnection()) {
					for (RedisClusterNode node : connection.clusterGetNodes()) {
						if (node.isMaster()) {
							try (Cursor<byte[]> cursor = connection.scan(node, options)) {
								removed += unlinkScanned(cursor, (bytes) -> new String(bytes,
										StandardCharsets.UTF_8), withLocks);
							}
						}
					}
				}
			}
			else {
				try (Cursor<String> cursor = this.redis.scan(options)) {
					removed += unlinkScanned(cursor, (key) -> key, withLocks);
				}
			}
			this.runtime.breaker().recordSuccess();
		}
		catch (RuntimeException ex) {
			this.runtime.failures().redisFailed(cache, "evict", ex);
		}
		// a pattern or the whole cache: every copy of this cache goes (tracking drops them one by one too)
		this.runtime.nearClear(cache);
		this.runtime.metrics().evictions(cache, removed);
		return removed;
	}

	private <K> long unlinkScanned(Cursor<K> cursor, Function<K, String> toKey, boolean withLocks) {
		long removed = 0;
		List<String> batch = new ArrayList<>(SCAN_BATCH * 2);
		while (cursor.hasNext()) {
			String key = toKey.apply(cursor.next());
			batch.add(key);
			String lock = withLocks ? this.runtime.keyspace().lockKeyOf(key) : null;
			if (lock != null) {
				batch.add(lock);
			}
			if (batch.size() >= SCAN_BATCH) {
				removed += unlinkGrouped(batch);
				batch.clear();
			}
		}
		if (!batch.isEmpty()) {
			removed += unlinkGrouped(batch);
		}
		return removed;
	}

	private long unlinkGrouped(List<String> keysToRemove) {
		if (RedisMode.of(this.redis.getRequiredConnectionFactory()) != RedisMode.CLUSTER) {
			Long removed = this.redis.unlink(keysToRemove);
			return (removed != null) ? removed : 0;
		}
		Map<Integer, List<String>> bySlot = new HashMap<>();
		for (String key : keysToRemove) {
			bySlot.computeIfAbsent(ClusterSlotHashUtil.calculateSlot(key), (slot) -> new ArrayList<>()).add(key);
		}
		long removed = 0;
		for (List<String> group : bySlot.values()) {
			Long count = this.redis.unlink(group);
			removed += (count != null) ? count : 0;
		}
		return removed;
	}

	void addTags(String cache, CacheKeyspace.EntryKeys k, Collection<String> tags, long ttlMillis) {
		for (String tag : tags) {
			try {
				this.scripts.run(this.tagAdd, List.of(this.runtime.keyspace().tagKey(cache, tag)), Long.toString(ttlMillis), k.value());
			}
			catch (RuntimeException ex) {
				this.runtime.failures().redisFailed(cache, "write", ex);
			}
		}
	}

}
