package io.redispatterns.idempotency;

import java.time.Duration;
import java.util.List;

/**
 * Settings shared by every {@link Idempotent @Idempotent} handler, usually bound from
 * {@code redis-patterns.idempotency.*}.
 * @param headerName the request header that carries the key
 * @param ttl how long a completed response is kept and replayed (unless the annotation says)
 * @param lease how long the in-progress marker of a request lasts when it never completes
 * @param inProgressWait how long a duplicate waits for the first request before {@code 409}
 * @param maxBodySize the largest response body, in bytes, that is stored
 * @param missingKey what a request without the header gets (unless the annotation says)
 * @param failureMode what happens when Redis cannot claim the key
 * @param responseHeaders the response headers stored and replayed, besides {@code Content-Type}
 */
public record IdempotencySettings(String headerName, Duration ttl, Duration lease, Duration inProgressWait,
		long maxBodySize, MissingKeyBehavior missingKey, IdempotencyFailureMode failureMode,
		List<String> responseHeaders) {

	/** Header set on every replayed response. */
	public static final String REPLAYED_HEADER = "Idempotent-Replayed";

	/** Headers stored by default, besides {@code Content-Type}. */
	public static final List<String> DEFAULT_RESPONSE_HEADERS = List.of("Location", "Content-Language",
			"Content-Location", "Content-Disposition", "ETag", "Last-Modified", "Cache-Control", "Link");

}
