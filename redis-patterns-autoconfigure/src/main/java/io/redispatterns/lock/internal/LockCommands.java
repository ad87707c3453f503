package io.redispatterns.lock.internal;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.redispatterns.core.LuaScript;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RedisFailureKind;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.ScriptResult;
import io.redispatterns.lock.LockOutcomeUnknownException;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.lock.LockUnavailableException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The lock's Redis commands — the acquire, release and extend scripts (an acquisition through
 * {@link ReplicaAcknowledgedAcquirer} when replicas must acknowledge it) — and the translation of
 * their failures into {@link LockUnavailableException} (not sent, or refused) and
 * {@link LockOutcomeUnknownException} (sent without a reply).
 */
final class LockCommands implements AutoCloseable {

	static final LuaScript<List<Object>> ACQUIRE = LuaScript.load(LockTemplate.class, "acquire.lua",
			ScriptResult.LIST);

	private static final LuaScript<Long> RELEASE = LuaScript.load(LockTemplate.class, "release.lua",
			ScriptResult.LONG);

	private static final LuaScript<Long> EXTEND = LuaScript.load(LockTemplate.class, "extend.lua",
			ScriptResult.LONG);

	private static final String WAKE_MESSAGE = "released";

	private final LuaScriptRunner scripts;

	private final @Nullable ReplicaAcknowledgedAcquirer replicaAcquirer;

	LockCommands(StringRedisTemplate redis, @Nullable ReplicaAcknowledgedAcquirer replicaAcquirer) {
		this.scripts = new LuaScriptRunner(redis::getRequiredConnectionFactory);
		this.replicaAcquirer = replicaAcquirer;
	}

	/**
	 * Runs one acquisition.
	 * @return {@code [1, fencing token]} when acquired, {@code [0, holder's time to live in ms or -1]} when not
	 */
	List<?> acquire(String name, LockKeys.Key key, String token, Duration lease, long waitNanos, boolean waited) {
		String leaseMillis = Long.toString(lease.toMillis());
		// A caller that will wait marks the lock, so that the holder's release publishes a wake-up;
		// releases of locks nobody waits for publish nothing. One that has waited marks its own hold.
		String waits = waited ? "2" : (waitNanos > 0) ? "1" : "0";
		if (this.replicaAcquirer != null) {
			return this.replicaAcquirer.acquire(name, key, token, leaseMillis, waits, waitNanos,
					() -> releaseRaw(key, token));
		}
		List<?> result = redisCall(name, "acquire",
				() -> this.scripts.run(ACQUIRE, key.lockOnly(), token, leaseMillis, waits));
		if (result == null || result.size() < 2) {
			throw new LockUnavailableException(name,
					"Lock '" + name + "': unexpected reply from the acquire script: " + result);
		}
		return result;
	}

	boolean release(String name, LockKeys.Key key, String ownerToken) {
		Long released = redisCall(name, "release", () -> releaseRaw(key, ownerToken));
		return released != null && released == 1L;
	}

	boolean extend(String name, LockKeys.Key key, String ownerToken, Duration length) {
		Long extended = redisCall(name, "extend", () -> this.scripts.run(EXTEND, key.lockOnly(), ownerToken,
				Long.toString(Math.max(1, length.toMillis()))));
		return extended != null && extended == 1L;
	}

	private @Nullable Long releaseRaw(LockKeys.Key key, String ownerToken) {
		return this.scripts.run(RELEASE, key.lockAndReleased(), ownerToken, key.channel(), WAKE_MESSAGE);
	}

	/**
	 * The acquisition may have taken the lock: one release by its owner token (a no-op when it did
	 * not) makes the outcome known again whenever Redis answers it, so the lock is not left to
	 * block everyone, this caller included, until its lease ends.
	 */
	LockOutcomeUnknownException cleanUpUnknownAcquisition(String name, LockKeys.Key key, String token,
			Duration lease, LockOutcomeUnknownException unknown) {
		try {
			Long released = releaseRaw(key, token);
			boolean took = released != null && released == 1L;
			return new LockOutcomeUnknownException(name, "Outcome unknown: no reply to the acquisition of lock '"
					+ name + "' (" + reason(unknown.getCause()) + "); cleaned up by owner token: "
					+ (took ? "it had been acquired and is released again" : "it had not been acquired")
					+ ", so it is not held and acquiring again is safe", unknown.getCause(), true);
		}
		catch (RuntimeException cleanupFailure) {
			LockOutcomeUnknownException uncleaned = new LockOutcomeUnknownException(name,
					"Outcome unknown: no reply to the acquisition of lock '" + name + "' (" + reason(unknown.getCause())
							+ "); the cleanup by owner token failed too, so it may be held until its lease ("
							+ Durations.format(lease) + ") ends",
					unknown.getCause(), false);
			uncleaned.addSuppressed(cleanupFailure);
			return uncleaned;
		}
	}

	/**
	 * Runs a Redis call, translating its failure: sent without a reply →
	 * {@link LockOutcomeUnknownException}; anything else (not sent, or refused by Redis) →
	 * {@link LockUnavailableException}.
	 */
	static <T> T redisCall(String name, String operation, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (DataAccessException | io.lettuce.core.RedisException ex) {
			if (RedisFailures.classify(ex) == RedisFailureKind.OUTCOME_UNKNOWN) {
				throw new LockOutcomeUnknownException(name, "Outcome unknown: Redis did not answer after the command to "
						+ operation + " lock '" + name + "' was sent (" + reason(ex) + ")", ex, false);
			}
			throw unavailable(name, operation, ex);
		}
	}

	static LockUnavailableException unavailable(String name, String operation, Throwable ex) {
		return new LockUnavailableException(name,
				"Redis is unavailable: could not " + operation + " lock '" + name + "' (" + reason(ex) + ")", ex);
	}

	private static String reason(@Nullable Throwable ex) {
		if (ex == null) {
			return "no reply";
		}
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

	@Override
	public void close() {
		if (this.replicaAcquirer != null) {
			this.replicaAcquirer.close();
		}
	}

}
