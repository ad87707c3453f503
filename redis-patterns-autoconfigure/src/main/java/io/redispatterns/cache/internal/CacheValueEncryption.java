package io.redispatterns.cache.internal;

import java.util.Objects;
import java.util.Set;

import io.redispatterns.crypto.ValueEncryptor;
import org.jspecify.annotations.Nullable;

/**
 * Which caches store their values encrypted ({@code redis-patterns.cache.caches.<name>.encrypted}).
 * The JSON of a value is encrypted with the context {@code cache:<redis key>}, so an entry copied to
 * another key or cache does not decrypt; its expiry stays in clear. An entry that does not decrypt
 * (tampered with, its key no longer configured, or written before the cache was encrypted) is a
 * miss: evicted, logged and counted in {@code redis.patterns.cache.corrupt}.
 *
 * @param encryptor the encryptor (its keys)
 * @param caches the names of the encrypted caches
 */
public record CacheValueEncryption(@Nullable ValueEncryptor encryptor, Set<String> caches) {

	/** No cache is encrypted. */
	public static final CacheValueEncryption NONE = new CacheValueEncryption(null, Set.of());

	/**
	 * Copies the names.
	 * @param encryptor the encryptor ({@code null} only when no cache is encrypted)
	 * @param caches the names of the encrypted caches
	 */
	public CacheValueEncryption {
		caches = Set.copyOf(caches);
		if (encryptor == null && !caches.isEmpty()) {
			throw new IllegalArgumentException("encrypted caches " + caches + " need an encryptor");
		}
	}

	String seal(String cache, String redisKey, String json) {
		return this.caches.contains(cache) ? Objects.requireNonNull(this.encryptor).encrypt(json, "cache:" + redisKey) : json;
	}

	/**
	 * Returns the JSON of a stored value.
	 * @throws io.redispatterns.crypto.UndecryptableValueException when an encrypted cache's value does
	 * not decrypt
	 */
	String open(String cache, String redisKey, String stored) {
		return this.caches.contains(cache) ? Objects.requireNonNull(this.encryptor).decrypt(stored, "cache:" + redisKey)
				: stored;
	}

}
