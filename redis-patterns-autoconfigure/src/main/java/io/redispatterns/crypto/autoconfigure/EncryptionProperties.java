package io.redispatterns.crypto.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Keys of encrypted values ({@code redis-patterns.cache.caches.<name>.encrypted},
 * {@code redis-patterns.session.encrypted-attributes}). Set them from the environment or a secret
 * store, never in a committed file: {@code REDIS_PATTERNS_ENCRYPTION_KEYS_K2026=<base64>},
 * {@code REDIS_PATTERNS_ENCRYPTION_ACTIVE_KEY=k2026}.
 */
@ConfigurationProperties("redis-patterns.encryption")
public class EncryptionProperties {

	/**
	 * AES keys by id (1 to 32 letters, digits, '-' or '_'), each the base64 of 16, 24 or 32 random
	 * bytes. Keep an old key listed until the values written with it have expired.
	 */
	private Map<String, String> keys = new LinkedHashMap<>();

	/** Id of the key new values are encrypted with; one of the ids under keys. */
	private @Nullable String activeKey;

	public Map<String, String> getKeys() {
		return this.keys;
	}

	public void setKeys(Map<String, String> keys) {
		this.keys = keys;
	}

	public @Nullable String getActiveKey() {
		return this.activeKey;
	}

	public void setActiveKey(@Nullable String activeKey) {
		this.activeKey = activeKey;
	}

}
