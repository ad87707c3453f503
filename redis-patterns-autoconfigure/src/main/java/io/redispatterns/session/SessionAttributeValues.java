package io.redispatterns.session;

import org.jspecify.annotations.Nullable;

/**
 * Turns attribute values into what a session hash stores and back: JSON from
 * {@link SessionAttributeCodec}.
 */
final class SessionAttributeValues {

	private final SessionAttributeCodec codec;

	SessionAttributeValues(SessionAttributeCodec codec) {
		this.codec = codec;
	}

	/** An attribute read back: {@code present} is false when it was dropped. */
	record Decoded(boolean present, @Nullable Object value) {
	}

	String encode(String sessionId, String name, Object value) {
		return this.codec.encode(value);
	}

	/**
	 * Decodes a stored value.
	 * @throws RuntimeException when its JSON does not decode (the whole session is then unusable)
	 */
	Decoded decode(String sessionId, String name, String stored) {
		return new Decoded(true, this.codec.decode(stored));
	}

	SessionAttributeCodec codec() {
		return this.codec;
	}

}
