package io.redispatterns.idempotency;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.redispatterns.core.LuaScript;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.ScriptResult;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Keeps idempotency records in Redis: one hash per key holding either an in-progress marker
 * (request token, request fingerprint; expires after the lease) or the completed response (kept
 * for the window). Each transition is one Lua script on one key, so it runs on Cluster, and each
 * is safe when Lettuce re-sends it after a lost reply: a claim recognises its own token, a
 * completion already applied reports success, a release of a released key does nothing.
 * <p>
 * Failures of Redis surface as Spring's {@link DataAccessException}.
 */
public class IdempotencyStore {

	private static final byte[] ZERO = { '0' };

	private static final byte[] ONE = { '1' };

	private final LuaScript<List<Object>> claim = LuaScript.load(IdempotencyStore.class, "claim.lua", ScriptResult.RAW_LIST);

	private final LuaScript<Long> complete = LuaScript.load(IdempotencyStore.class, "complete.lua", ScriptResult.LONG);

	private final LuaScript<Long> extend = LuaScript.load(IdempotencyStore.class, "extend.lua", ScriptResult.LONG);

	private final LuaScript<Long> release = LuaScript.load(IdempotencyStore.class, "release.lua", ScriptResult.LONG);

	private final LuaScriptRunner scripts;

	/**
	 * Creates a store.
	 * @param connectionFactory the shared connection factory
	 */
	public IdempotencyStore(RedisConnectionFactory connectionFactory) {
		this.scripts = new LuaScriptRunner(connectionFactory);
	}

	/**
	 * Claims a key for a request, or reports what it holds.
	 * @param key the record's key
	 * @param token the request attempt's random token
	 * @param fingerprint the request's fingerprint
	 * @param lease how long the in-progress marker lasts when the request never completes
	 * @return what was found
	 * @throws DataAccessException when Redis fails
	 */
	@SuppressWarnings("unchecked")
	public ClaimResult claim(String key, String token, String fingerprint, Duration lease) {
		List<Object> reply = run(this.claim, key, utf8(token), utf8(fingerprint), millis(lease));
		if (reply == null || reply.isEmpty()) {
			throw new IllegalStateException("Unexpected reply of the idempotency claim script: " + reply);
		}
		long kind = (Long) reply.get(0);
		if (kind == 1) {
			return new ClaimResult.Claimed();
		}
		if (kind == 2) {
			return new ClaimResult.InProgress((Long) reply.get(1));
		}
		if (kind == 3) {
			int status = Integer.parseInt(text(reply.get(1)));
			byte[] headers = bytes(reply.get(2));
			byte[] body = bytes(reply.get(3));
			boolean omitted = "1".equals(text(reply.get(4)));
			return new ClaimResult.Completed(
					new StoredResponse(status, StoredResponse.decodeHeaders(headers), body, omitted));
		}
		if (kind == 4) {
			return new ClaimResult.Mismatch();
		}
		throw new IllegalStateException("Unexpected reply of the idempotency claim script: " + reply);
	}

	/**
	 * Stores the response of the request that holds the key, kept for {@code ttl}.
	 * @param key the record's key
	 * @param token the token the key was claimed with
	 * @param response the response; its body is stored unless {@code bodyOmitted}
	 * @param ttl how long the response is kept
	 * @return {@code false} when the key was no longer held by this request (its lease ran out)
	 * @throws DataAccessException when Redis fails
	 */
	public boolean complete(String key, String token, StoredResponse response, Duration ttl) {
		Long stored = run(this.complete, key, utf8(token), utf8(Integer.toString(response.status())),
				utf8(StoredResponse.encodeHeaders(response.headers())), response.body(),
				response.bodyOmitted() ? ONE : ZERO, millis(ttl));
		return stored != null && stored == 1;
	}

	/**
	 * Renews the in-progress marker of a request that is still running.
	 * @param key the record's key
	 * @param token the token the key was claimed with
	 * @param lease the new lease, from now
	 * @return whether the marker was this request's and is renewed
	 * @throws DataAccessException when Redis fails
	 */
	public boolean extend(String key, String token, Duration lease) {
		Long extended = run(this.extend, key, utf8(token), millis(lease));
		return extended != null && extended == 1;
	}

	/**
	 * Releases a key whose request did not complete, so that a retry runs again.
	 * @param key the record's key
	 * @param token the token the key was claimed with
	 * @return whether the key was held by this request and is now free
	 * @throws DataAccessException when Redis fails
	 */
	public boolean release(String key, String token) {
		Long released = run(this.release, key, utf8(token));
		return released != null && released == 1;
	}

	// arguments and bulk replies stay raw bytes (bodies are binary); integer replies stay Longs
	private <T> @Nullable T run(LuaScript<T> script, String key, byte[]... args) {
		return this.scripts.run(script, List.of(key), (Object[]) args);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] millis(Duration duration) {
		return utf8(Long.toString(Math.max(1, duration.toMillis())));
	}

	private static byte[] bytes(@Nullable Object value) {
		return (value instanceof byte[] bytes) ? bytes : new byte[0];
	}

	private static String text(@Nullable Object value) {
		return new String(bytes(value), StandardCharsets.UTF_8);
	}

}
