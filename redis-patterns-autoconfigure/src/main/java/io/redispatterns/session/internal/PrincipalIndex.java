package io.redispatterns.session.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.lettuce.core.KeyValue;
import io.redispatterns.core.LuaScript;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RedisBatch;
import io.redispatterns.core.ScriptResult;
import io.redispatterns.session.RevocationReason;
import io.redispatterns.session.SessionMetrics;
import io.redispatterns.session.SessionSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Each principal's sessions, indexed in a sorted set {@code <prefix>:session:principal:<name>}
 * scored by a lease that ends no earlier than the session's hash. A lease is renewed only when the
 * session's expiry moves into a new {@linkplain #refreshPeriod(Duration) refresh period} (a quarter
 * of the idle timeout), so an ordinary request writes the session hash alone; a lease runs two
 * periods past the expiry it was written for, which covers every save until the next renewal and
 * clock differences between application instances below one period. A member may therefore outlive
 * its session by up to half the idle timeout: readers check each member against its hash and prune
 * the missing ones, and a login over {@code max-per-user} checks them before evicting anyone.
 */
final class PrincipalIndex {

	private static final Log logger = LogFactory.getLog(PrincipalIndex.class);

	private static final LuaScript<List<Object>> UPDATE = LuaScript.load(SessionMetrics.class, "index-update.lua",
			ScriptResult.LIST);

	private static final LuaScript<List<Object>> READ = LuaScript.load(SessionMetrics.class, "index-read.lua",
			ScriptResult.LIST);

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final SessionKeys keys;

	private final SessionSettings settings;

	private final SessionMetrics metrics;

	PrincipalIndex(StringRedisTemplate redis, SessionKeys keys, SessionSettings settings, SessionMetrics metrics) {
		this.redis = redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.keys = keys;
		this.settings = settings;
		this.metrics = metrics;
	}

	/** How far a session's expiry may advance before its index lease is renewed. */
	static long refreshPeriod(Duration maxInactive) {
		return Math.max(1, maxInactive.toMillis() / 4);
	}

	/** Whether a save that moves a session's expiry from {@code stored} to {@code next} renews its lease. */
	static boolean renewalDue(Instant stored, Instant next, long period) {
		return Math.floorDiv(stored.toEpochMilli(), period) != Math.floorDiv(next.toEpochMilli(), period);
	}

	/**
	 * Adds the index script to a batch: adds or renews {@code id} with a lease of its time to live
	 * plus two refresh periods.
	 * @return the position of its reply in the batch: the members to check when over the limit
	 */
	int update(RedisBatch batch, String principal, String id, long ttlMillis, long period, String replacedId) {
		String lease = Long.toString(ttlMillis + 2 * period);
		int max = this.settings.maxPerUser();
		// without a limit the replaced id changes nothing in the script: every argument passed into Lua costs Redis
		List<String> args = (max == 0) ? List.of(id, lease) : List.of(id, lease, Integer.toString(max), replacedId);
		return batch.script(UPDATE, List.of(this.keys.principal(principal)), args);
	}

	/** Reads a principal's index after pruning ended leases and removing {@code remove}. */
	List<String> read(String principal, List<String> remove) {
		List<?> ids = this.scripts.run(READ, List.of(this.keys.principal(principal)), remove.toArray());
		return asStrings(ids);
	}

	/**
	 * The members of a principal's index, soonest lease end first, read with one plain {@code ZRANGE}: a member
	 * whose lease ended points to a hash that is gone (a lease never ends before its session's hash), which the
	 * caller finds when it reads the hashes and removes. No script: running one costs Redis about ten times the
	 * {@code ZRANGE} (15 µs against 1 µs, {@code INFO commandstats}), and logins prune ended leases anyway.
	 */
	List<String> members(String principal) {
		java.util.Set<String> ids = this.redis.opsForZSet().range(this.keys.principal(principal), 0, -1);
		return (ids != null) ? new ArrayList<>(ids) : List.of();
	}

	/**
	 * Removes ids whose session hashes are already deleted. A failure only leaves entries that the
	 * next read prunes, so it is logged, not thrown.
	 */
	void remove(String principal, List<String> ids) {
		if (ids.isEmpty()) {
			return;
		}
		try {
			this.redis.opsForZSet().remove(this.keys.principal(principal), ids.toArray());
		}
		catch (RuntimeException ex) {
			logPruneLater(ids.size(), ex);
		}
	}

	/**
	 * Sends the removal of an id whose hash is already deleted without waiting for its reply (a
	 * logout answers after one round trip); a failure leaves an entry that the next read prunes.
	 */
	void removeWithoutWaiting(String principal, String id) {
		RedisBatch batch = new RedisBatch(this.redis.getRequiredConnectionFactory());
		batch.sortedSetRemove(this.keys.principal(principal), List.of(id));
		batch.sendWithoutWaiting((failure) -> logPruneLater(1, failure));
	}

	private static void logPruneLater(int count, Throwable ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("Could not remove " + count + " deleted session(s) from a principal index; "
					+ "the next read prunes them: " + SessionFailures.describe(SessionFailures.rootCause(ex)));
		}
	}

	/**
	 * Applies {@code max-per-user} after a login: of the {@code others} the index script returned,
	 * those whose hash is gone are dropped and the least recently used live ones beyond the limit
	 * (counting the session that logged in) have their hashes deleted. A failure to delete is logged
	 * and counted, never thrown: the login has succeeded, and the sessions stay listed (and
	 * revocable) until a later login evicts them.
	 * @return the ids to remove from the index (their hashes are gone)
	 */
	List<String> enforceLimit(List<String> others) {
		if (others.isEmpty()) {
			return others;
		}
		RedisBatch reads = new RedisBatch(this.redis.getRequiredConnectionFactory());
		for (String id : others) {
			reads.hashGet(this.keys.session(id), SessionHashFormat.ACCESSED_FIELD, SessionHashFormat.MAX_INACTIVE_FIELD);
		}
		List<Object> replies = reads.execute();
		List<String> gone = new ArrayList<>();
		List<Live> live = new ArrayList<>();
		for (int i = 0; i < others.size(); i++) {
			List<@Nullable String> fields = values(replies.get(i));
			if (fields.size() < 2 || fields.get(0) == null || fields.get(1) == null) {
				gone.add(others.get(i));
			}
			else {
				live.add(new Live(others.get(i), Long.parseLong(fields.get(0)) + 1000 * Long.parseLong(fields.get(1))));
			}
		}
		int excess = live.size() + 1 - this.settings.maxPerUser();
		if (excess <= 0) {
			return gone;
		}
		live.sort(Comparator.comparingLong(Live::expiresAt));
		List<String> victims = live.subList(0, excess).stream().map(Live::id).toList();
		int deleted;
		try {
			deleted = deleteHashes(victims);
		}
		catch (RuntimeException ex) {
			this.metrics.evictionFailure();
			logger.warn("Could not revoke " + victims.size() + " session(s) beyond max-per-user "
					+ this.settings.maxPerUser() + "; they stay listed and will be evicted by a later login: "
					+ SessionFailures.describe(SessionFailures.rootCause(ex)));
			return gone;
		}
		this.metrics.revoked(RevocationReason.MAX_PER_USER, deleted);
		if (logger.isDebugEnabled()) {
			logger.debug("Revoked " + deleted + " session(s) beyond max-per-user " + this.settings.maxPerUser());
		}
		List<String> removable = new ArrayList<>(gone);
		removable.addAll(victims);
		return removable;
	}

	/** Deletes session hashes in one round trip; returns how many existed. */
	int deleteHashes(List<String> ids) {
		RedisBatch deletes = new RedisBatch(this.redis.getRequiredConnectionFactory());
		for (String id : ids) {
			deletes.delete(this.keys.session(id));
		}
		int deleted = 0;
		for (Object result : deletes.execute()) {
			deleted += (result instanceof Number number) ? number.intValue() : 0;
		}
		return deleted;
	}

	private record Live(String id, long expiresAt) {
	}

	static List<String> asStrings(@Nullable Object value) {
		List<@Nullable String> values = values(value);
		List<String> strings = new ArrayList<>(values.size());
		for (String item : values) {
			if (item != null) {
				strings.add(item);
			}
		}
		return strings;
	}

	/** The items of a multi-bulk reply as strings (missing values as {@code null}). */
	private static List<@Nullable String> values(@Nullable Object value) {
		if (!(value instanceof List<?> list)) {
			return List.of();
		}
		List<@Nullable String> strings = new ArrayList<>(list.size());
		for (Object item : list) {
			Object raw = (item instanceof KeyValue<?, ?> keyValue) ? keyValue.getValueOrElse(null) : item;
			strings.add((raw != null) ? SessionHashFormat.string(raw) : null);
		}
		return strings;
	}

}
