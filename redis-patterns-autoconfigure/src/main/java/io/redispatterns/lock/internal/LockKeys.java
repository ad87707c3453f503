package io.redispatterns.lock.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.redispatterns.core.RedisKeys;
import org.jspecify.annotations.Nullable;

/**
 * Key scheme of the lock pattern. For a lock named {@code n} (escaped to {@code e}):
 * <ul>
 * <li>{@code <prefix>:lock:held:{e}} holds {@code "<owner token> <fencing token>"} (plus
 * {@code " w"} once someone waits), with the lease as TTL;</li>
 * <li>{@code <prefix>:lock:released:{e}} is the held value moved there by the release, kept for
 * the rest of the lease, so that a release Lettuce re-sends after a lost reply is recognised;</li>
 * <li>{@code <prefix>:lock:wake:{e}} is the sharded pub/sub channel the release publishes to.</li>
 * </ul>
 * All of them share the hash tag {@code {e}}, so one script touches them on Redis Cluster, and a
 * {@code SCAN} of {@code <prefix>:lock:held:*} lists exactly the held locks.
 */
public final class LockKeys {

	static final String PATTERN = "lock";

	private static final String HELD = "held";

	private static final String WAKE = "wake";

	private static final String RELEASED = "released";

	private final RedisKeys keys;

	public LockKeys(RedisKeys keys) {
		this.keys = keys;
	}

	public Key of(String name) {
		return new Key(this.keys.tagged(PATTERN, HELD, name), this.keys.tagged(PATTERN, WAKE, name),
				this.keys.tagged(PATTERN, RELEASED, name));
	}

	String heldScanPattern() {
		return this.keys.namespace(PATTERN, HELD) + "*";
	}

	/**
	 * Returns the lock name of a scanned lock key: the escaped hash tag decoded (a name that was
	 * cut and hashed for length stays in its escaped form).
	 */
	@Nullable String nameOf(String heldKey) {
		String heldNamespace = this.keys.namespace(PATTERN, HELD);
		if (!heldKey.startsWith(heldNamespace) || heldKey.length() < heldNamespace.length() + 2
				|| heldKey.charAt(heldNamespace.length()) != '{' || !heldKey.endsWith("}")) {
			return null;
		}
		String escaped = heldKey.substring(heldNamespace.length() + 1, heldKey.length() - 1);
		return (escaped.indexOf('~') >= 0) ? escaped : unescape(escaped);
	}

	private static String unescape(String escaped) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(escaped.length());
		for (int i = 0; i < escaped.length(); i++) {
			char c = escaped.charAt(i);
			if (c == '%' && i + 2 < escaped.length()) {
				bytes.write(Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
				i += 2;
			}
			else {
				bytes.write(c);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	/**
	 * Returns the fencing token of a held lock's value, {@code null} when the value is not one.
	 */
	static @Nullable Long fencingTokenOf(@Nullable String heldValue) {
		if (heldValue == null) {
			return null;
		}
		String[] parts = heldValue.split(" ");
		if (parts.length < 2) {
			return null;
		}
		try {
			return Long.parseLong(parts[1]);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	public record Key(String lock, String channel, String released) {

		List<String> lockOnly() {
			return List.of(this.lock);
		}

		List<String> lockAndReleased() {
			return List.of(this.lock, this.released);
		}

	}

}
