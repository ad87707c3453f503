package io.redispatterns.crypto;

import java.util.regex.Pattern;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * An AES key and the id it is known by. The id is written, in clear, into every value encrypted
 * with the key, so that the value can still be decrypted after another key became the active one.
 *
 * @param id the key's id: 1 to 32 letters, digits, {@code -} or {@code _}
 * @param key the AES key (128, 192 or 256 bits)
 */
public record EncryptionKey(String id, SecretKey key) {

	private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

	/**
	 * Validates the key.
	 * @param id the key's id
	 * @param key the AES key
	 */
	public EncryptionKey {
		if (!ID.matcher(id).matches()) {
			throw new IllegalArgumentException(
					"key id '" + id + "' must be 1 to 32 letters, digits, '-' or '_'");
		}
		byte[] encoded = key.getEncoded();
		int bits = (encoded != null) ? encoded.length * 8 : 0;
		if (!"AES".equalsIgnoreCase(key.getAlgorithm()) || (bits != 128 && bits != 192 && bits != 256)) {
			throw new IllegalArgumentException("key '" + id + "' must be an AES key of 128, 192 or 256 bits (got "
					+ key.getAlgorithm() + ", " + bits + " bits)");
		}
	}

	/**
	 * Creates a key from its raw bytes.
	 * @param id the key's id
	 * @param bytes 16, 24 or 32 bytes
	 * @return the key
	 */
	public static EncryptionKey aes(String id, byte[] bytes) {
		return new EncryptionKey(id, new SecretKeySpec(bytes, "AES"));
	}

	/** Never shows the key material. */
	@Override
	public String toString() {
		return "EncryptionKey[id=" + this.id + "]";
	}

}
