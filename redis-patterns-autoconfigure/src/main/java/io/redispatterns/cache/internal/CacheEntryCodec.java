package io.redispatterns.cache.internal;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.redispatterns.cache.CacheSettings;
import io.redispatterns.core.JsonStrings;
import io.redispatterns.crypto.UndecryptableValueException;
import io.redispatterns.crypto.ValueEncryptor;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a cache entry is written to and read from Redis: the {@link CacheEntry} envelope around the
 * value's JSON (no default typing: the JSON is read as the type the caller asks for), the TTL with its
 * jitter and stale-while-revalidate window, and the check that a type can be read back at all.
 */
final class CacheEntryCodec {

	private final JsonMapper mapper;

	private final BiConsumer<String, String> onCorrupt;

	private final Map<Type, JavaType> javaTypes = new ConcurrentHashMap<>();

	private final Set<Type> readableTypes = ConcurrentHashMap.newKeySet();

	private final Map<Type, String> unreadableTypes = new ConcurrentHashMap<>();

	private volatile CacheValueEncryption encryption = CacheValueEncryption.NONE;

	/**
	 * Creates a codec.
	 * @param mapper the JSON mapper (no default typing)
	 * @param onCorrupt told the cache name and a message when an entry does not decode
	 */
	CacheEntryCodec(JsonMapper mapper, BiConsumer<String, String> onCorrupt) {
		this.mapper = mapper;
		this.onCorrupt = onCorrupt;
	}

	/** Encrypts the values of some caches (set once, while the application starts). */
	void setEncryption(CacheValueEncryption encryption) {
		this.encryption = encryption;
	}

	/**
	 * Decodes an entry; one that does not decode is counted, logged and handed to {@code evict}
	 * (the non-blocking path passes a reactive eviction: it runs on the client's event loop, where
	 * a blocking command would wait for a reply only that thread can read).
	 */
	<T> @Nullable Decoded<T> decode(String cache, CacheKeyspace.EntryKeys k, String raw, Type type,
			Consumer<CacheKeyspace.EntryKeys> evict) {
		return decode(cache, k.value(), raw, type, (undecodableCache, valueKey) -> evict.accept(k));
	}

	/**
	 * Decodes an entry read from {@code valueKey}; one that does not decode is counted, logged and handed to
	 * {@code evict} (with the cache name and the value key).
	 */
	@SuppressWarnings("unchecked")
	<T> @Nullable Decoded<T> decode(String cache, String valueKey, String raw, Type type,
			BiConsumer<String, String> evict) {
		CacheEntry entry = CacheEntry.parse(raw);
		if (entry != null) {
			return decode(cache, valueKey, entry, type, evict);
		}
		this.onCorrupt.accept(cache, "An entry of cache '" + cache + "' is not in this library's format (corrupt bytes or "
				+ "written by another client); it was evicted and counted in redis.patterns.cache.corrupt");
		evict.accept(cache, valueKey);
		return null;
	}

	/** Decodes an entry already parsed (a near cache's copy); one that does not decode goes as above. */
	<T> @Nullable Decoded<T> decode(String cache, CacheKeyspace.EntryKeys k, CacheEntry entry, Type type,
			Consumer<CacheKeyspace.EntryKeys> evict) {
		return decode(cache, k.value(), entry, type, (undecodableCache, valueKey) -> evict.accept(k));
	}

	/** Decodes an entry already parsed, read from {@code valueKey}; one that does not decode goes as above. */
	@SuppressWarnings("unchecked")
	<T> @Nullable Decoded<T> decode(String cache, String valueKey, CacheEntry entry, Type type,
			BiConsumer<String, String> evict) {
		if (entry.isNull()) {
			return new Decoded<>(entry, null);
		}
		try {
			String json = this.encryption.open(cache, valueKey, entry.json());
			// a String stored as a plain JSON string needs no parser (a custom String deserializer of the
			// application's mapper is not asked for these)
			String plain = (type == String.class) ? JsonStrings.plainContent(json) : null;
			return new Decoded<>(entry, (T) ((plain != null) ? plain : this.mapper.readValue(json, javaType(type))));
		}
		catch (UndecryptableValueException ex) {
			this.onCorrupt.accept(cache, "An entry of encrypted cache '" + cache + "' does not decrypt (" + ex.getMessage()
					+ "); it was evicted and counted in redis.patterns.cache.corrupt");
			evict.accept(cache, valueKey);
			return null;
		}
		catch (JacksonException | IllegalArgumentException ex) {
			this.onCorrupt.accept(cache, "An entry of cache '" + cache + "' does not decode as " + type.getTypeName()
					+ " (changed class, or " + unreadableMessage(type, ex)
					+ "); it was evicted and counted in redis.patterns.cache.corrupt");
			evict.accept(cache, valueKey);
			return null;
		}
	}

	private JavaType javaType(Type type) {
		JavaType known = this.javaTypes.get(type);
		return (known != null) ? known : this.javaTypes.computeIfAbsent(type, this.mapper::constructType);
	}

	Written encode(String cache, CacheKeyspace.EntryKeys k, CacheSettings settings, @Nullable Object value,
			long computeMillis) {
		long now = System.currentTimeMillis();
		if (value == null) {
			Duration nullTtl = settings.cacheNulls();
			long ttl = jittered((nullTtl != null) ? nullTtl.toMillis() : 1000, settings.ttlJitter());
			return new Written(new CacheEntry(now + ttl, computeMillis, true, "").encode(), ttl);
		}
		String json;
		try {
			json = this.encryption.seal(cache, k.value(), this.mapper.writeValueAsString(value));
		}
		catch (JacksonException ex) {
			throw new EncodeFailedException(ex);
		}
		long ttl = jittered(settings.ttl().toMillis(), settings.ttlJitter());
		long hardTtl = ttl + settings.staleWhileRevalidate().toMillis();
		return new Written(new CacheEntry(now + ttl, computeMillis, false, json).encode(), hardTtl);
	}

	/** The longest TTL an entry of these settings is written with. */
	static long maxEntryTtlMillis(CacheSettings settings) {
		long value = settings.ttl().toMillis() + settings.staleWhileRevalidate().toMillis();
		Duration nullTtl = settings.cacheNulls();
		return Math.max(value, (nullTtl != null) ? nullTtl.toMillis() : 1000);
	}

	static long jittered(long ttlMillis, double jitter) {
		if (jitter <= 0) {
			return ttlMillis;
		}
		long cut = (long) (ttlMillis * jitter * ThreadLocalRandom.current().nextDouble());
		return Math.max(1, ttlMillis - cut);
	}

	/**
	 * Checks, once per type, that what is written can be read back as the type it will be read as:
	 * a type Jackson cannot construct from its own JSON would otherwise never hit and reload on every
	 * call.
	 * @throws UnreadableTypeException naming the type and Jackson's reason
	 */
	void requireReadable(Type type, @Nullable Object value, Written written) {
		if (value == null || this.readableTypes.contains(type)) {
			return;
		}
		String known = this.unreadableTypes.get(type);
		if (known != null) {
			throw new UnreadableTypeException(known);
		}
		CacheEntry entry = CacheEntry.parse(written.entry());
		try {
			JavaType javaType = this.javaTypes.computeIfAbsent(type, this.mapper::constructType);
			String json = (entry != null) ? entry.json() : "null";
			// an encrypted cache's entry holds an envelope: check the JSON it was made of
			json = ValueEncryptor.isEnvelope(json) ? this.mapper.writeValueAsString(value) : json;
			this.mapper.readValue(json, javaType);
			this.readableTypes.add(type);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			String problem = unreadableMessage(type, ex);
			this.unreadableTypes.put(type, problem);
			throw new UnreadableTypeException(problem);
		}
	}

	/**
	 * Tells, without a value, whether a type can never be read from JSON (an interface or abstract
	 * class without type information, a class without a usable constructor).
	 * @return what is wrong, naming the type and Jackson's reason, or {@code null} when nothing is
	 * known to be wrong
	 */
	@Nullable String unreadableProblem(Type type) {
		try {
			JavaType javaType = this.javaTypes.computeIfAbsent(type, this.mapper::constructType);
			this.mapper.readValue("{}", javaType);
		}
		catch (InvalidDefinitionException ex) {
			return unreadableMessage(type, ex);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			// "{}" is not this type's shape, which says nothing about its definition
		}
		return null;
	}

	private static String unreadableMessage(Type type, Exception ex) {
		String reason = String.valueOf(ex.getMessage());
		int newline = reason.indexOf('\n');
		return "values of type " + type.getTypeName() + " cannot be read back from JSON, so they would never be "
				+ "served from the cache (" + ((newline > 0) ? reason.substring(0, newline) : reason)
				+ "); return a concrete type Jackson can construct, or add type information with @JsonTypeInfo";
	}

	/** A decoded entry: its envelope and its value ({@code null} for a cached {@code null}). */
	record Decoded<T>(CacheEntry entry, @Nullable T value) {
	}

	/** An encoded entry and the TTL to write it with. */
	record Written(String entry, long ttlMillis) {
	}

	/** A value's type cannot be read back from the JSON it is written as. */
	static final class UnreadableTypeException extends IllegalStateException {

		UnreadableTypeException(String message) {
			super(message);
		}

	}

	/** A value cannot be written as JSON. */
	static final class EncodeFailedException extends RuntimeException {

		EncodeFailedException(Throwable cause) {
			super(cause);
		}

	}

}
