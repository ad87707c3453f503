package io.redispatterns.cache.internal;

import io.redispatterns.core.RedisKeys;
import org.jspecify.annotations.Nullable;

/**
 * The names of a cache's keys: the entry {@code <prefix>:cache:<cache>:{<cache>:<key>}}, its loader
 * lock {@code <prefix>:cache:<cache>:{<cache>:<key>}:loader} (same hash tag, so the fenced write is
 * one script on Redis Cluster) and tag indexes {@code <prefix>:cache:<cache>:{<tag>}:tags}; every part
 * escaped by {@link RedisKeys}, every key in the cache's own namespace.
 */
public final class CacheKeyspace {

	static final String PATTERN = "cache";

	private static final String LOADER_SUFFIX = "loader";

	private final RedisKeys keys;

	CacheKeyspace(RedisKeys keys) {
		this.keys = keys;
	}

	/** The start every key of every cache shares: {@code <prefix>:cache:}. */
	String namespace() {
		return this.keys.namespace(PATTERN);
	}

	/** The pub/sub channel of loader wake-ups. */
	String wakeUpChannel() {
		return this.keys.namespace(PATTERN) + "written";
	}

	EntryKeys entryKeys(String cache, String id) {
		String tag = cache + ":" + id;
		return new EntryKeys(this.keys.tagged(PATTERN, cache, tag), this.keys.tagged(PATTERN, cache, tag, LOADER_SUFFIX));
	}

	/** The loader lock key of a value key: the value key with the {@code :loader} suffix. */
	@Nullable String lockKeyOf(String valueKey) {
		if (valueKey.lastIndexOf('{') < 0 || !valueKey.endsWith("}")) {
			return null;
		}
		return valueKey + ":" + LOADER_SUFFIX;
	}

	/**
	 * The tag index of a tag: a sorted set (named {@code tags}, not the {@code tag} of the plain sets
	 * earlier versions wrote, so a rolling upgrade never meets a key of the other type).
	 */
	String tagKey(String cache, String tag) {
		return this.keys.tagged(PATTERN, cache, tag, "tags");
	}

	/** The {@code SCAN} glob of every key of a cache: entries, loader locks and tag indexes. */
	String cacheGlob(String cache) {
		return this.keys.scanPattern(PATTERN, cache);
	}

	/**
	 * The {@code SCAN} glob of the entries whose keys match a user's glob ({@code *} and {@code ?}),
	 * everything else escaped, confined to one cache.
	 */
	String entryGlob(String cache, String keyPattern) {
		StringBuilder glob = new StringBuilder(this.keys.namespace(PATTERN, cache)).append('{')
			.append(RedisKeys.escape(cache + ":"));
		StringBuilder literal = new StringBuilder();
		for (int i = 0; i < keyPattern.length(); i++) {
			char c = keyPattern.charAt(i);
			if (c == '*' || c == '?') {
				glob.append(RedisKeys.escape(literal.toString())).append(c);
				literal.setLength(0);
			}
			else {
				literal.append(c);
			}
		}
		glob.append(RedisKeys.escape(literal.toString())).append('}');
		return glob.toString();
	}

	/** The keys of one entry. */
	public record EntryKeys(String value, String lock) {
	}

}
