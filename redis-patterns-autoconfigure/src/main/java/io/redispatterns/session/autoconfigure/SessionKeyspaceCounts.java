package io.redispatterns.session.autoconfigure;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Counts keys matching a pattern with {@code SCAN} (every master on Cluster), never {@code KEYS}, and
 * stops after {@link #LIMIT} keys so that a large keyspace costs a bounded number of round trips.
 */
final class SessionKeyspaceCounts {

	/** Most keys counted per pattern; beyond it the count is reported as a lower bound. */
	static final int LIMIT = 10_000;

	private static final int SCAN_COUNT = 1_000;

	private final StringRedisTemplate redis;

	SessionKeyspaceCounts(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** A count of keys; {@code complete} is false when the scan stopped at {@link #LIMIT}. */
	record Count(long keys, boolean complete) {
	}

	// NullAway: a RedisCallback may return null (Spring Data Redis declares <T extends @Nullable Object>), which
	// NullAway sees only in JSpecify mode, not available on JDK 17 (CONTRIBUTING.md, "Checks")
	@SuppressWarnings("NullAway")
	Count count(String pattern) {
		ScanOptions options = ScanOptions.scanOptions().match(pattern).count(SCAN_COUNT).build();
		long[] counted = new long[1];
		this.redis.execute((RedisCallback<Void>) (connection) -> {
			if (connection instanceof RedisClusterConnection cluster) {
				for (RedisClusterNode node : cluster.clusterGetNodes()) {
					if (node.isMaster() && counted[0] < LIMIT) {
						counted[0] += count(cluster.scan(node, options), LIMIT - counted[0]);
					}
				}
			}
			else {
				counted[0] = count(connection.keyCommands().scan(options), LIMIT);
			}
			return null;
		});
		return new Count(Math.min(counted[0], LIMIT), counted[0] < LIMIT);
	}

	private static long count(Cursor<byte[]> cursor, long limit) {
		long keys = 0;
		try (cursor) {
			while (cursor.hasNext() && keys < limit) {
				cursor.next();
				keys++;
			}
			// one more key proves the limit was reached, not merely met
			if (keys == limit && cursor.hasNext()) {
				keys++;
			}
		}
		return keys;
	}

}
