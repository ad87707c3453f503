package io.redispatterns.lock.internal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues owner tokens unique per acquisition: a random instance id, drawn once per lock template,
 * plus a counter. Cheaper than a random UUID per acquisition, and as unique: two templates share
 * an instance id with a probability of 2<sup>-96</sup> per pair.
 */
final class OwnerTokens {

	private final String instance;

	private final AtomicLong counter = new AtomicLong();

	OwnerTokens() {
		byte[] random = new byte[12];
		new SecureRandom().nextBytes(random);
		this.instance = HexFormat.of().formatHex(random) + ":";
	}

	/** Returns a token no other acquisition of any template gets (it never contains a space). */
	String next() {
		return this.instance + Long.toString(this.counter.incrementAndGet(), 36);
	}

}
