package io.redispatterns.console.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A bounded sample of the keys matching a pattern: {@code SCAN MATCH ... COUNT 200} on every
 * master, stopped once {@code limit} keys are found — never {@code KEYS}.
 */
final class KeySample {

	private KeySample() {
	}

	/**
	 * Samples keys.
	 * @param redis the template
	 * @param pattern the glob
	 * @param limit most keys returned
	 * @return the keys found, and whether the scan stopped early
	 */
	// NullAway: a RedisCallback may return null (Spring Data Redis declares <T extends @Nullable Object>), which
	// NullAway sees only in JSpecify mode, not available on JDK 17 (CONTRIBUTING.md, "Checks")
	@SuppressWarnings("NullAway")
	static Result scan(StringRedisTemplate redis, String pattern, int limit) {
		ScanOptions options = ScanOptions.scanOptions().match(pattern).count(200).build();
		List<String> keys = new ArrayList<>();
		boolean[] truncated = new boolean[1];
		redis.execute((RedisCallback<Void>) (connection) -> {
			if (connection instanceof RedisClusterConnection cluster) {
				for (RedisClusterNode node : cluster.clusterGetNodes()) {
					if (node.isMaster() && !truncated[0]) {
						truncated[0] = collect(cluster.scan(node, options), keys, limit);
					}
				}
			}
			else {
				truncated[0] = collect(connection.keyCommands().scan(options), keys, limit);
			}
			return null;
		});
		return new Result(keys, truncated[0]);
	}

	private static boolean collect(Cursor<byte[]> cursor, List<String> keys, int limit) {
		try (cursor) {
			while (cursor.hasNext()) {
				if (keys.size() >= limit) {
					return true;
				}
				keys.add(new String(cursor.next(), StandardCharsets.UTF_8));
			}
			return false;
		}
	}

	/**
	 * Reverses {@link io.redispatterns.core.RedisKeys#escape(String)} for display ({@code %XX} to
	 * bytes); a part shortened to a digest stays as it is.
	 * @param escaped the escaped part
	 * @return the original text
	 */
	static String unescape(String escaped) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(escaped.length());
		for (int i = 0; i < escaped.length(); i++) {
			char c = escaped.charAt(i);
			int value = (c == '%' && i + 2 < escaped.length())
					? Character.digit(escaped.charAt(i + 1), 16) * 16 + Character.digit(escaped.charAt(i + 2), 16) : -1;
			if (value >= 0 && Character.digit(escaped.charAt(i + 1), 16) >= 0) {
				bytes.write(value);
				i += 2;
			}
			else {
				bytes.write((byte) c);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	record Result(List<String> keys, boolean truncated) {

	}

}
