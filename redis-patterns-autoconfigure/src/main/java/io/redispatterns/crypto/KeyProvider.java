package io.redispatterns.crypto;

import org.jspecify.annotations.Nullable;

/**
 * Where encryption keys come from. New values are encrypted with the {@linkplain #activeKey() active
 * key}; a value is decrypted with the key its envelope names, so a key that is no longer active must
 * stay available until the values written with it have expired. Define a bean of this type to take
 * keys from a vault or a KMS instead of {@code redis-patterns.encryption.keys.*}; it is asked on every
 * encryption and decryption, so it should answer from memory.
 */
public interface KeyProvider {

	/**
	 * Returns the key new values are encrypted with.
	 * @return the active key
	 */
	EncryptionKey activeKey();

	/**
	 * Returns a key by id.
	 * @param id the id an envelope names
	 * @return the key, or {@code null} when no key has that id (the value cannot be decrypted)
	 */
	@Nullable EncryptionKey key(String id);

}
