package io.redispatterns.stream.internal;

import io.redispatterns.core.RedisKeys;

/**
 * Internal: builds stream keys. A stream {@code orders} lives at {@code <prefix>:stream:orders:{orders}}, its
 * dead-letter stream at {@code ...:{orders}:dlq} and idempotency keys at {@code ...:{orders}:idem:<key>}: one
 * hash tag, so the scripts that touch them together run on Cluster.
 */
public final class StreamKeys {

	static final String PATTERN = "stream";

	private final RedisKeys keys;

	private final String deadLetterSuffix;

	public StreamKeys(RedisKeys keys, String deadLetterSuffix) {
		this.keys = keys;
		this.deadLetterSuffix = deadLetterSuffix;
	}

	public String stream(String name) {
		return this.keys.tagged(PATTERN, name, name);
	}

	public String deadLetters(String name) {
		return this.keys.tagged(PATTERN, name, name, this.deadLetterSuffix);
	}

	public String idempotency(String name, String key) {
		return this.keys.tagged(PATTERN, name, name, "idem", key);
	}

}
