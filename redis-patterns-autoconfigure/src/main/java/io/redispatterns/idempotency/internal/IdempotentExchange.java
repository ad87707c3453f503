package io.redispatterns.idempotency.internal;

import java.time.Duration;
import java.util.concurrent.Future;

/**
 * A request that claimed an idempotency key, kept as a request attribute from the interceptor
 * (which claims) to the filter (which stores the response or releases the key).
 * @param name the handler's idempotency name
 * @param key the record's Redis key
 * @param token the token the key was claimed with
 * @param ttl how long the response is kept
 * @param renewal the periodic renewal of the in-progress marker, cancelled when the request ends
 */
record IdempotentExchange(String name, String key, String token, Duration ttl, Future<?> renewal) {

	static final String ATTRIBUTE = IdempotentExchange.class.getName();

	void stopRenewal() {
		this.renewal.cancel(false);
	}

}
