package io.redispatterns.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts stored values with AES-GCM into a text envelope
 * {@code rpe1$<key id>$<base64url(nonce ‖ ciphertext ‖ tag)>}: a random 96-bit nonce per value and a
 * 128-bit tag. The envelope names its key, so values written before a rotation still decrypt while
 * that key is configured. The tag also covers the key id and a <em>context</em> the caller names
 * (such as the cache, or the session and attribute), so a value copied to another place, or edited
 * in any byte, does not decrypt.
 * <p>
 * It protects values at rest and from users who can read Redis but not the application's keys. Key
 * names, expiry times, sizes and access patterns stay visible. A random nonce allows about 2^32
 * values per key before the chance of a repeated nonce becomes a concern: rotate keys well before.
 */
public final class ValueEncryptor {

	/** Start of every envelope. */
	public static final String PREFIX = "rpe1$";

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private final KeyProvider keys;

	/**
	 * Creates an encryptor.
	 * @param keys where the keys come from
	 */
	public ValueEncryptor(KeyProvider keys) {
		this.keys = keys;
	}

	/**
	 * Encrypts a value with the active key.
	 * @param plaintext the value
	 * @param context where the value is stored (bound to the ciphertext, not stored)
	 * @return the envelope
	 */
	public String encrypt(String plaintext, String context) {
		EncryptionKey key = this.keys.activeKey();
		byte[] nonce = new byte[NONCE_BYTES];
		RANDOM.nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(associatedData(key.id(), context));
			byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
			byte[] body = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
			return PREFIX + key.id() + "$" + ENCODER.encodeToString(body);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM encryption failed with key '" + key.id() + "'", ex);
		}
	}

	/**
	 * Decrypts an envelope.
	 * @param envelope what {@link #encrypt} returned
	 * @param context the context it was encrypted with
	 * @return the value
	 * @throws UndecryptableValueException when the value is not an envelope, names an unknown key, or
	 * fails authentication
	 */
	public String decrypt(String envelope, String context) {
		if (!envelope.startsWith(PREFIX)) {
			throw new UndecryptableValueException("not an encrypted value");
		}
		int separator = envelope.indexOf('$', PREFIX.length());
		if (separator < 0) {
			throw new UndecryptableValueException("malformed envelope");
		}
		String keyId = envelope.substring(PREFIX.length(), separator);
		EncryptionKey key = this.keys.key(keyId);
		if (key == null) {
			throw new UndecryptableValueException("encrypted with key '" + keyId + "', which is not configured");
		}
		byte[] body;
		try {
			body = DECODER.decode(envelope.substring(separator + 1));
		}
		catch (IllegalArgumentException ex) {
			throw new UndecryptableValueException("malformed envelope", ex);
		}
		if (body.length < NONCE_BYTES + TAG_BITS / 8) {
			throw new UndecryptableValueException("malformed envelope");
		}
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, body, 0, NONCE_BYTES));
			cipher.updateAAD(associatedData(keyId, context));
			byte[] plaintext = cipher.doFinal(body, NONCE_BYTES, body.length - NONCE_BYTES);
			return new String(plaintext, StandardCharsets.UTF_8);
		}
		catch (AEADBadTagException ex) {
			throw new UndecryptableValueException("authentication failed (tampered with, or stored elsewhere)", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new UndecryptableValueException("decryption failed with key '" + keyId + "'", ex);
		}
	}

	/**
	 * Returns whether a stored value is an envelope of this class.
	 * @param value the stored value
	 * @return whether it starts with {@link #PREFIX}
	 */
	public static boolean isEnvelope(String value) {
		return value.startsWith(PREFIX);
	}

	private static byte[] associatedData(String keyId, String context) {
		return (PREFIX + keyId + "$" + context).getBytes(StandardCharsets.UTF_8);
	}

}
