package io.redispatterns.idempotency;

import java.time.Duration;

/**
 * A request that claimed an idempotency key, kept as a request attribute from the interceptor
 * (which claims) to the filter (which stores the response or releases the key).
 * @param name the handler's idempotency name
 * @param key the record's Redis key
 * @param token the token the key was claimed with
 * @param ttl how long the response is kept
 */
record IdempotentExchange(String name, String key, String token, Duration ttl) {

	static final String ATTRIBUTE = IdempotentExchange.class.getName();

}
