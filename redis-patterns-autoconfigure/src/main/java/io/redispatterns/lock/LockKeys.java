package io.redispatterns.lock;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.redispatterns.core.RedisKeys;
import org.jspecify.annotations.Nullable;

/**
 * Key scheme of the lock pattern. For a lock named {@code n} (escaped to {@code e}):
 * <ul>
 * <li>{@code <prefix>:lock:held:{e}} holds the owner token, with the lease as TTL;</li>
 * <li>{@code <prefix>:lock:fence:{e}} holds the last fencing token issued;</li>
 * <li>{@code <prefix>:lock:released:{e}} holds, for a few seconds after a release, the owner
 * token of the last release, so that a release Lettuce re-sends after a lost reply is recognised;</li>
 * <li>{@code <prefix>:lock:wake:{e}} is the sharded pub/sub channel the release publishes to.</li>
 * </ul>
 * All of them share the hash tag {@code {e}}, so one script touches them on Redis Cluster, and a
 * {@code SCAN} of {@code <prefix>:lock:held:*} lists exactly the held locks.
 */
final class LockKeys {

	static final String PATTERN = "lock";

	private static final String HELD = "held";

	private static final String FENCE = "fence";

	private static final String WAKE = "wake";

	private static final String RELEASED = "released";

	private final RedisKeys keys;

	LockKeys(RedisKeys keys) {
		this.keys = keys;
	}

	Key of(String name) {
		return new Key(this.keys.tagged(PATTERN, HELD, name), this.keys.tagged(PATTERN, FENCE, name),
				this.keys.tagged(PATTERN, WAKE, name), this.keys.tagged(PATTERN, RELEASED, name));
	}

	String heldScanPattern() {
		return this.keys.namespace(PATTERN, HELD) + "*";
	}

	/**
	 * Returns the fencing counter key of a scanned lock key.
	 */
	@Nullable String fenceKeyOf(String heldKey) {
		String heldNamespace = this.keys.namespace(PATTERN, HELD);
		if (!heldKey.startsWith(heldNamespace)) {
			return null;
		}
		return this.keys.namespace(PATTERN, FENCE) + heldKey.substring(heldNamespace.length());
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

	record Key(String lock, String fence, String channel, String released) {

		List<String> lockAndFence() {
			return List.of(this.lock, this.fence);
		}

		List<String> lockOnly() {
			return List.of(this.lock);
		}

		List<String> lockAndReleased() {
			return List.of(this.lock, this.released);
		}

	}

}
