package io.redispatterns.session.internal;

import java.util.Set;

import io.redispatterns.crypto.ValueEncryptor;

/**
 * Which session attributes are stored encrypted, and with what. Each such attribute's JSON is
 * encrypted with the context {@code session:<lineage>:<name>}, so a value copied into another
 * session or attribute does not decrypt. A stored value that does not decrypt (tampered with, its key
 * no longer configured, or written before the attribute was encrypted) is dropped from the session,
 * counted ({@code redis.patterns.session.dropped-attributes}) and logged; the session itself stays.
 *
 * @param encryptor the encryptor (its keys)
 * @param attributeNames the names of the encrypted attributes
 */
public record AttributeEncryption(ValueEncryptor encryptor, Set<String> attributeNames) {

	/**
	 * Copies the names.
	 * @param encryptor the encryptor
	 * @param attributeNames the names
	 */
	public AttributeEncryption {
		attributeNames = Set.copyOf(attributeNames);
	}

}
