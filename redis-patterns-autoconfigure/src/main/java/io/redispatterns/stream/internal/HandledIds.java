package io.redispatterns.stream.internal;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Internal: the ids one thread has handled and not yet handed to the {@link AckBatch}: a worker (or the poll loop
 * when concurrency is 1) collects the ids of its share of a batch here and hands them over together, so the
 * shared queue and its counters are touched once per share rather than once per entry. Handed over when the share
 * ends, when a batch's worth is collected, or when the oldest has waited {@link AckBatch#MAX_DELAY} (a slow entry
 * after fast ones does not hold back their acknowledgement). Not thread-safe: one per share.
 */
final class HandledIds {

	private final AckBatch acks;

	private final int batchSize;

	private final int expected;

	/** The ids held ({@code null} until the first one after a hand-over: the array goes with the ids). */
	private String @Nullable [] ids;

	private int count;

	private int skipped;

	/** When the first id still held was added (nanoTime). */
	private long since;

	HandledIds(AckBatch acks, int batchSize, int expected) {
		this.acks = acks;
		this.batchSize = batchSize;
		this.expected = Math.max(1, expected);
	}

	/** Records a handled entry to acknowledge ({@code skipped}: a replay meant for another group). */
	void add(String id, boolean skipped) {
		if (this.count == 0) {
			this.since = System.nanoTime();
		}
		String[] held = this.ids;
		if (held == null) {
			held = new String[this.expected];
		}
		else if (this.count == held.length) {
			held = Arrays.copyOf(held, this.count * 2);
		}
		held[this.count++] = id;
		this.ids = held;
		if (skipped) {
			this.skipped++;
		}
	}

	/**
	 * Hands the ids over when a batch's worth is held or the oldest has waited too long.
	 * @return whether they were handed over
	 */
	boolean handOverIfDue() {
		if (this.count > 0 && (this.count >= this.batchSize
				|| System.nanoTime() - this.since >= AckBatch.MAX_DELAY.toNanos())) {
			handOver();
			return true;
		}
		return false;
	}

	/** Hands every id held to the {@link AckBatch}. */
	void handOver() {
		String[] held = this.ids;
		if (this.count == 0 || held == null) {
			return;
		}
		int heldCount = this.count;
		int heldSkipped = this.skipped;
		this.ids = null;
		this.count = 0;
		this.skipped = 0;
		this.acks.addAll(held, heldCount, heldSkipped);
	}

}
