package io.redispatterns.session.internal;

import java.time.Duration;

import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.crypto.UndecryptableValueException;
import io.redispatterns.crypto.ValueEncryptor;
import io.redispatterns.session.SessionAttributeCodec;
import io.redispatterns.session.SessionMetrics;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns attribute values into what a session hash stores and back: JSON from
 * {@link SessionAttributeCodec}, encrypted for the attributes an {@link AttributeEncryption} names.
 */
final class SessionAttributeValues {

	private static final Decoded DROPPED = new Decoded(false, null);

	private final RateLimitedLogger dropLog = new RateLimitedLogger(
			LogFactory.getLog(RedisPatternsSessionRepository.class), Duration.ofSeconds(10));

	private final SessionAttributeCodec codec;

	private final @Nullable AttributeEncryption encryption;

	private final SessionMetrics metrics;

	SessionAttributeValues(SessionAttributeCodec codec, @Nullable AttributeEncryption encryption,
			SessionMetrics metrics) {
		this.codec = codec;
		this.encryption = encryption;
		this.metrics = metrics;
	}

	/** An attribute read back: {@code present} is false when it was dropped. */
	record Decoded(boolean present, @Nullable Object value) {
	}

	String encode(String sessionId, String name, Object value) {
		String json = this.codec.encode(value);
		AttributeEncryption encryption = this.encryption;
		if (encryption != null && encryption.attributeNames().contains(name)) {
			return encryption.encryptor().encrypt(json, context(sessionId, name));
		}
		return json;
	}

	/**
	 * Decodes a stored value. An attribute configured as encrypted whose value does not decrypt is
	 * dropped (counted and logged). A value that is encrypted although its attribute no longer is
	 * still decrypts while the key is configured, so encryption can be turned off gradually.
	 * @throws RuntimeException when the JSON does not decode (the whole session is then unusable)
	 */
	Decoded decode(String sessionId, String name, String stored) {
		AttributeEncryption encryption = this.encryption;
		if (encryption == null
				|| (!encryption.attributeNames().contains(name) && !ValueEncryptor.isEnvelope(stored))) {
			return new Decoded(true, this.codec.decode(stored));
		}
		String json;
		try {
			json = encryption.encryptor().decrypt(stored, context(sessionId, name));
		}
		catch (UndecryptableValueException ex) {
			this.metrics.attributeDropped(name);
			this.dropLog.warn("Encrypted attribute '" + name + "' of session " + SessionFailures.idHash(sessionId)
					+ " does not decrypt (" + ex.getMessage() + "); it was dropped and counted in "
					+ "redis.patterns.session.dropped-attributes", null);
			return DROPPED;
		}
		return new Decoded(true, this.codec.decode(json));
	}

	/** Binds a value to its session (the lineage, which an id change keeps) and attribute. */
	private static String context(String sessionId, String name) {
		int dot = sessionId.indexOf('.');
		return "session:" + ((dot > 0) ? sessionId.substring(0, dot) : sessionId) + ":" + name;
	}

	SessionAttributeCodec codec() {
		return this.codec;
	}

}
