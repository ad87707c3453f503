package io.redispatterns.crypto;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/** A fixed set of keys, one of them active: what {@code redis-patterns.encryption.*} configures. */
public final class StaticKeyProvider implements KeyProvider {

	private final Map<String, EncryptionKey> keys;

	private final EncryptionKey active;

	/**
	 * Creates the provider.
	 * @param keys the keys, each under its own id
	 * @param activeId id of the key new values are encrypted with
	 * @throws IllegalArgumentException when {@code activeId} names none of the keys
	 */
	public StaticKeyProvider(Iterable<EncryptionKey> keys, String activeId) {
		Map<String, EncryptionKey> byId = new LinkedHashMap<>();
		for (EncryptionKey key : keys) {
			if (byId.put(key.id(), key) != null) {
				throw new IllegalArgumentException("two keys have the id '" + key.id() + "'");
			}
		}
		EncryptionKey activeKey = byId.get(activeId);
		if (activeKey == null) {
			throw new IllegalArgumentException("the active key '" + activeId + "' is not one of the keys " + byId.keySet());
		}
		this.keys = Map.copyOf(byId);
		this.active = activeKey;
	}

	@Override
	public EncryptionKey activeKey() {
		return this.active;
	}

	@Override
	public @Nullable EncryptionKey key(String id) {
		return this.keys.get(id);
	}

	/**
	 * Returns the ids of the keys.
	 * @return the ids
	 */
	public Set<String> ids() {
		return this.keys.keySet();
	}

}
