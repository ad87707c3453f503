package io.redispatterns.lock.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.lock.LockTemplate;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The {@code lock} section of the {@code redispatterns} Actuator endpoint: the configuration,
 * this application's held leases and waiters, and the locks currently held in Redis (by any
 * application) found with {@code SCAN} of the lock prefix on every master — never {@code KEYS} —
 * with their owning instance, remaining TTL and last fencing token, at most {@value #MAX_LISTED}.
 */
public final class LockEndpointDetails implements PatternEndpointDetails {

	/** Most locks listed. */
	public static final int MAX_LISTED = 100;

	private final RedisLockTemplate template;

	private final StringRedisTemplate redis;

	/**
	 * Creates the section.
	 * @param template the lock template (built by {@link LockTemplate#builder})
	 * @param redis the template used to scan
	 */
	public LockEndpointDetails(LockTemplate template, StringRedisTemplate redis) {
		if (!(template instanceof RedisLockTemplate redisTemplate)) {
			throw new IllegalArgumentException("LockEndpointDetails needs a LockTemplate built by LockTemplate.builder");
		}
		this.template = redisTemplate;
		this.redis = redis;
	}

	@Override
	public String patternName() {
		return "lock";
	}

	@Override
	public Map<String, Object> describe() {
		LockSettings settings = this.template.settings();
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("defaultLease", settings.defaultLease().toString());
		description.put("defaultWait", settings.defaultWait().toString());
		description.put("watchdog", settings.watchdog());
		description.put("fallbackPoll", settings.fallbackPoll().toString());
		description.put("waitForReplicas", settings.waitForReplicas());
		description.put("wakeUps", this.template.wakeUps().mode());
		description.put("heldByThisApplication", this.template.heldLeases());
		description.put("waitingThreads", this.template.wakeUps().waiting());
		description.put("wakeUpSubscriptions", this.template.wakeUps().subscriptions());
		try {
			List<String> keys = scanHeld();
			List<Map<String, Object>> held = new ArrayList<>();
			for (String key : keys.subList(0, Math.min(keys.size(), MAX_LISTED))) {
				Map<String, Object> lock = describeLock(key);
				if (lock != null) {
					held.add(lock);
				}
			}
			description.put("held", held);
			description.put("heldTruncated", keys.size() > MAX_LISTED);
		}
		catch (DataAccessException ex) {
			description.put("held", "unavailable: " + ex.getMostSpecificCause().getMessage());
		}
		return description;
	}

	private @Nullable Map<String, Object> describeLock(String key) {
		LockKeys keys = this.template.keys();
		String name = keys.nameOf(key);
		Long ttl = this.redis.getExpire(key, java.util.concurrent.TimeUnit.MILLISECONDS);
		if (name == null || ttl == null || ttl == -2) {
			return null;
		}
		String value = this.redis.opsForValue().get(key);
		Long fence = LockKeys.fencingTokenOf(value);
		Map<String, Object> lock = new LinkedHashMap<>();
		lock.put("name", name);
		lock.put("owner", ownerOf(value));
		lock.put("remainingTtlMs", ttl);
		lock.put("fencingToken", (fence != null) ? fence : "unknown");
		return lock;
	}

	/**
	 * The owning instance: the random instance part of the owner token, never the whole token (which
	 * would let a reader of this endpoint release or extend the lease).
	 */
	private static String ownerOf(@Nullable String heldValue) {
		if (heldValue == null) {
			return "unknown";
		}
		String token = heldValue.split(" ")[0];
		int separator = token.indexOf(':');
		return (separator > 0) ? token.substring(0, Math.min(separator, 12)) : "unknown";
	}

	// NullAway: a RedisCallback may return null (Spring Data Redis declares <T extends @Nullable Object>), which
	// NullAway sees only in JSpecify mode, not available on JDK 17 (CONTRIBUTING.md, "Checks")
	@SuppressWarnings("NullAway")
	private List<String> scanHeld() {
		ScanOptions options = ScanOptions.scanOptions().match(this.template.keys().heldScanPattern()).count(1000).build();
		List<String> keys = new ArrayList<>();
		this.redis.execute((RedisCallback<Void>) (connection) -> {
			if (connection instanceof RedisClusterConnection cluster) {
				for (RedisClusterNode node : cluster.clusterGetNodes()) {
					if (node.isMaster() && keys.size() <= MAX_LISTED) {
						collect(cluster.scan(node, options), keys);
					}
				}
			}
			else {
				collect(connection.keyCommands().scan(options), keys);
			}
			return null;
		});
		return keys;
	}

	private static void collect(Cursor<byte[]> cursor, List<String> keys) {
		try (cursor) {
			while (cursor.hasNext() && keys.size() <= MAX_LISTED) {
				keys.add(new String(cursor.next(), StandardCharsets.UTF_8));
			}
		}
	}

}
