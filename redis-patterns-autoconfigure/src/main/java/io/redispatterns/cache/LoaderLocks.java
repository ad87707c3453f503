package io.redispatterns.cache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.redispatterns.core.RedisScripts;
import io.redispatterns.lock.LockLease;
import io.redispatterns.lock.LockOptions;
import io.redispatterns.lock.LockTemplate;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Per-key loader locks. Both implementations use the lock package's key,
 * {@code <prefix>:lock:held:{<cache>:<key>}}, whose value is the holder's owner token, so the
 * cache's fenced write can check the owner in the same script that stores the entry.
 */
interface LoaderLocks {

	/**
	 * Makes one attempt (one round trip, never waits).
	 * @return the held lock, or {@code null} when another owner holds it
	 * @throws RuntimeException when Redis cannot be reached
	 */
	@Nullable Held tryAcquire(String cache, String lockName, String lockKey, Duration lease);

	/** A held loader lock. */
	interface Held {

		String ownerToken();

		/** Owner-checked renewal. */
		boolean extend(Duration lease);

		/** Owner-checked release (compare-and-delete). */
		void release();

	}

	/** Loader locks taken through the lock package's {@link LockTemplate}. */
	static LoaderLocks of(LockTemplate locks) {
		return (cache, lockName, lockKey, lease) -> {
			Optional<LockLease> acquired = locks.tryAcquire(lockName, LockOptions.defaults()
				.withLease(lease)
				.withWait(Duration.ZERO)
				.withWatchdog(false)
				.withLogicalName("cache:" + cache));
			if (acquired.isEmpty()) {
				return null;
			}
			LockLease held = acquired.get();
			return new Held() {
				@Override
				public String ownerToken() {
					return held.ownerToken();
				}

				@Override
				public boolean extend(Duration length) {
					return held.extend(length);
				}

				@Override
				public void release() {
					held.release();
				}
			};
		};
	}

	/**
	 * Loader locks without the lock package (when it is switched off): {@code SET NX PX} with a
	 * random owner token, owner-checked extension and compare-and-delete release scripts, on the
	 * same keys.
	 */
	static LoaderLocks builtIn(StringRedisTemplate redis) {
		RedisScript<Long> extend = RedisScripts.load(LoaderLocks.class, "extend.lua", Long.class);
		RedisScript<Long> release = RedisScripts.load(LoaderLocks.class, "release.lua", Long.class);
		return (cache, lockName, lockKey, lease) -> {
			String token = UUID.randomUUID().toString();
			if (!Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(lockKey, token, lease))) {
				return null;
			}
			return new Held() {
				@Override
				public String ownerToken() {
					return token;
				}

				@Override
				public boolean extend(Duration length) {
					return Long.valueOf(1).equals(redis.execute(extend, List.of(lockKey), token,
							Long.toString(length.toMillis())));
				}

				@Override
				public void release() {
					redis.execute(release, List.of(lockKey), token);
				}
			};
		};
	}

}
