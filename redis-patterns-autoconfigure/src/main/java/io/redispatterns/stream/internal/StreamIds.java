package io.redispatterns.stream.internal;

import java.math.BigInteger;

/**
 * Internal: ordering of stream entry ids ({@code <milliseconds>-<sequence>}, both unsigned 64-bit).
 */
final class StreamIds {

	private static final BigInteger MAX_SEQUENCE = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

	private StreamIds() {
	}

	/** Compares two ids as Redis orders them (called once per batch read: no {@code BigInteger} on this path). */
	static int compare(String a, String b) {
		int byTime = Long.compareUnsigned(part(a, true), part(b, true));
		return (byTime != 0) ? byTime : Long.compareUnsigned(part(a, false), part(b, false));
	}

	/** The milliseconds ({@code time}) or the sequence of an id, as an unsigned 64-bit number. */
	private static long part(String id, boolean time) {
		int dash = id.indexOf('-');
		if (dash < 0) {
			return time ? Long.parseUnsignedLong(id) : 0;
		}
		return time ? Long.parseUnsignedLong(id, 0, dash, 10) : Long.parseUnsignedLong(id, dash + 1, id.length(), 10);
	}

	/** The larger of two ids. */
	static String max(String a, String b) {
		return (compare(a, b) >= 0) ? a : b;
	}

	/** The largest id below {@code id} ({@code 0-0} for {@code 0-0}): a group created there delivers {@code id}. */
	static String predecessor(String id) {
		BigInteger[] parts = parse(id);
		if (parts[1].signum() > 0) {
			return parts[0] + "-" + parts[1].subtract(BigInteger.ONE);
		}
		if (parts[0].signum() > 0) {
			return parts[0].subtract(BigInteger.ONE) + "-" + MAX_SEQUENCE;
		}
		return "0-0";
	}

	private static BigInteger[] parse(String id) {
		int dash = id.indexOf('-');
		if (dash < 0) {
			return new BigInteger[] { new BigInteger(id), BigInteger.ZERO };
		}
		return new BigInteger[] { new BigInteger(id.substring(0, dash)), new BigInteger(id.substring(dash + 1)) };
	}

}
