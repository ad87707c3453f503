package io.redispatterns.stream.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.redispatterns.stream.StreamHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Internal: turns the bytes of an entry's fields into strings, reusing the strings of the well-known field names
 * and the last {@code type} header value: consecutive entries of a backlog carry the same ones, and a reused
 * string also keeps its hash code for the type check's lookup. Not thread-safe (one poll loop uses it).
 */
final class FieldStrings {

	private static final String[] KNOWN = { StreamHeaders.PAYLOAD, StreamHeaders.TYPE, StreamHeaders.MESSAGE_ID,
			StreamHeaders.PUBLISHED_AT, StreamHeaders.REPLAY_FOR };

	private static final byte[][] KNOWN_BYTES = Arrays.stream(KNOWN)
		.map((name) -> name.getBytes(StandardCharsets.UTF_8))
		.toArray(byte[][]::new);

	private byte[] lastType = new byte[0];

	private String lastTypeString = "";

	String name(byte[] raw) {
		for (int i = 0; i < KNOWN_BYTES.length; i++) {
			if (Arrays.equals(KNOWN_BYTES[i], raw)) {
				return KNOWN[i];
			}
		}
		return new String(raw, StandardCharsets.UTF_8);
	}

	/** The well-known field name these bytes spell, {@code null} when they spell none. */
	static @Nullable String known(ByteBuffer raw) {
		for (int i = 0; i < KNOWN_BYTES.length; i++) {
			if (equal(KNOWN_BYTES[i], raw)) {
				return KNOWN[i];
			}
		}
		return null;
	}

	/** Whether the remaining bytes of {@code raw} are {@code expected} (its position is left as it was). */
	static boolean equal(byte[] expected, ByteBuffer raw) {
		int length = raw.remaining();
		if (length != expected.length) {
			return false;
		}
		int start = raw.position();
		for (int i = 0; i < length; i++) {
			if (raw.get(start + i) != expected[i]) {
				return false;
			}
		}
		return true;
	}

	String value(String name, byte[] raw) {
		if (!StreamHeaders.TYPE.equals(name)) {
			return new String(raw, StandardCharsets.UTF_8);
		}
		if (!Arrays.equals(this.lastType, raw)) {
			this.lastType = raw;
			this.lastTypeString = new String(raw, StandardCharsets.UTF_8);
		}
		return this.lastTypeString;
	}

}
