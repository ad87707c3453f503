package io.redispatterns.cache.internal;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.core.LuaScript;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.ScriptResult;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Per-key loader locks with the lock package's owner-token protocol ({@code SET NX PX} with a
 * random owner token that recognises its own token when re-sent, owner-checked extension,
 * compare-and-delete release) but in the cache's own
 * key space: {@code <prefix>:cache:<cache>:{<cache>:<key>}:loader}, next to the entry and with
 * its hash tag, so the fenced write checks the owner in the script that stores the entry. Lock
 * names of the lock package are chosen by users and could equal any {@code <cache>:<key>}, so
 * sharing its keys would let user locks and loader locks block and delete each other. No fencing
 * counter is kept: the fenced write compares the owner token.
 */
final class LoaderLocks {

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final LuaScript<Long> acquire = LuaScript.load(CacheTemplate.class, "acquire.lua", ScriptResult.LONG);

	private final LuaScript<Long> extend = LuaScript.load(CacheTemplate.class, "extend.lua", ScriptResult.LONG);

	private final LuaScript<Long> release = LuaScript.load(CacheTemplate.class, "release.lua", ScriptResult.LONG);

	LoaderLocks(StringRedisTemplate redis) {
		this.redis = redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
	}

	/**
	 * Makes one attempt (one round trip, never waits). A script rather than {@code SET NX}, so that
	 * the attempt re-sent by Lettuce after a lost reply recognises the lock it took.
	 * @return the held lock, or {@code null} when another owner holds it
	 * @throws RuntimeException when Redis cannot be reached
	 */
	@Nullable Held tryAcquire(String lockKey, Duration lease) {
		String token = UUID.randomUUID().toString();
		if (!Long.valueOf(1).equals(this.scripts.run(this.acquire, List.of(lockKey), token,
				Long.toString(lease.toMillis())))) {
			return null;
		}
		return new Held(lockKey, token);
	}

	/** Wraps a lock taken elsewhere (by a non-blocking {@code SET NX PX} with this token). */
	Held held(String lockKey, String ownerToken) {
		return new Held(lockKey, ownerToken);
	}

	/** The acquire script (recognises its own token when re-sent), for non-blocking callers. */
	LuaScript<Long> acquireScript() {
		return this.acquire;
	}

	/** The owner-checked renewal script, for pipelined callers. */
	LuaScript<Long> extendScript() {
		return this.extend;
	}

	/** The compare-and-delete release script, for non-blocking callers. */
	LuaScript<Long> releaseScript() {
		return this.release;
	}

	/** A held loader lock. */
	final class Held {

		private final String lockKey;

		private final String ownerToken;

		private Held(String lockKey, String ownerToken) {
			this.lockKey = lockKey;
			this.ownerToken = ownerToken;
		}

		String ownerToken() {
			return this.ownerToken;
		}

		/** Owner-checked renewal. */
		boolean extend(Duration lease) {
			return Long.valueOf(1).equals(LoaderLocks.this.scripts.run(LoaderLocks.this.extend, List.of(this.lockKey),
					this.ownerToken, Long.toString(lease.toMillis())));
		}

		/** Owner-checked release (compare-and-delete). */
		void release() {
			LoaderLocks.this.scripts.run(LoaderLocks.this.release, List.of(this.lockKey), this.ownerToken);
		}

	}

}
