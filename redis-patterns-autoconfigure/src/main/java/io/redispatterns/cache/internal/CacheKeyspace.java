package io.redispatterns.cache.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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

	/** Per cache, what every value key starts with (see {@link #valueKey}); one entry per cache name. */
	private final Map<String, ValueKeyStart> valueKeyStarts = new ConcurrentHashMap<>();

	private final Function<String, ValueKeyStart> newValueKeyStart;

	CacheKeyspace(RedisKeys keys) {
		this.keys = keys;
		this.newValueKeyStart = (cache) -> {
			String namespace = keys.namespace(PATTERN, cache) + '{';
			String tagStart = RedisKeys.escape(cache + ":");
			// a part cut and digested by escape() ends with "~<digest>" ('~' itself is always escaped)
			return new ValueKeyStart(namespace + tagStart,
					(tagStart.indexOf('~') >= 0) ? Integer.MAX_VALUE / 2 : tagStart.length());
		};
	}

	/** The start every key of every cache shares: {@code <prefix>:cache:}. */
	String namespace() {
		return this.keys.namespace(PATTERN);
	}

	/** The start of every key of one cache: {@code <prefix>:cache:<cache>:} (a near cache's tracked prefix). */
	String cacheNamespace(String cache) {
		return this.keys.namespace(PATTERN, cache);
	}

	/** The pub/sub channel of loader wake-ups. */
	String wakeUpChannel() {
		return this.keys.namespace(PATTERN) + "written";
	}

	EntryKeys entryKeys(String cache, String id) {
		String value = this.keys.tagged(PATTERN, cache, cache + ":" + id);
		// the same as tagged(..., LOADER_SUFFIX), without escaping the id twice (a hit builds these keys)
		return new EntryKeys(value, value + ":" + LOADER_SUFFIX);
	}

	/**
	 * The value key of an entry, equal to {@code entryKeys(cache, id).value()}, built with one concatenation: a
	 * cache hit reads this key only, and building both keys part by part was most of what a hit allocated beyond
	 * the {@code GET} itself.
	 */
	String valueKey(String cache, String id) {
		ValueKeyStart start = this.valueKeyStarts.get(cache);
		if (start == null) {
			start = this.valueKeyStarts.computeIfAbsent(cache, this.newValueKeyStart);
		}
		String escapedId = RedisKeys.escape(id);
		if (start.tagLength() + escapedId.length() > RedisKeys.MAX_PART_LENGTH || escapedId.indexOf('~') >= 0) {
			// an escaped tag this long is cut and digested as a whole
			return entryKeys(cache, id).value();
		}
		return start.key() + escapedId + '}';
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

	/** {@code <prefix>:cache:<cache>:{<escaped "cache:">}} and the length of its part inside the hash tag. */
	private record ValueKeyStart(String key, int tagLength) {
	}

}
