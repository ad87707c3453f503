package io.redispatterns.responsecache.internal;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A response as it is kept in the cache (JSON; the body in Base64).
 *
 * @param status the status code
 * @param contentType the {@code Content-Type}, if any
 * @param headers the stored headers and their values
 * @param body the body
 * @param etag the strong entity tag, quoted
 * @param storedAt when it was stored (epoch ms, the writer's clock)
 * @param expiresAt until when it is served (epoch ms, the writer's clock)
 */
record StoredResponse(int status, @Nullable String contentType, Map<String, List<String>> headers, byte[] body,
		String etag, long storedAt, long expiresAt) {

	boolean expired(long nowMillis) {
		return nowMillis >= this.expiresAt;
	}

	/** Whole seconds since it was stored, for the {@code Age} header. */
	long ageSeconds(long nowMillis) {
		return Math.max(0, (nowMillis - this.storedAt) / 1000);
	}

}
