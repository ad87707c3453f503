package io.redispatterns.sample.pageviews;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

/**
 * Stands in for a database table of view totals plus a table of applied batch ids, written in one
 * transaction: a batch whose id is already recorded is skipped, so a batch flushed again after a crash is
 * counted once.
 */
@Component
public class ProductViewsDatabase {

	private final Map<Long, Long> totals = new HashMap<>();

	private final Set<String> appliedBatches = new HashSet<>();

	private final AtomicInteger crashesAfterCommit = new AtomicInteger();

	private int redeliveriesSkipped;

	/**
	 * Adds a batch of view counts, once per batch id.
	 * @param batchId the write-behind batch id
	 * @param counts views per product id
	 * @return whether the batch was applied (false when it had been applied before)
	 */
	public boolean apply(String batchId, Map<Long, Long> counts) {
		synchronized (this) {
			if (!this.appliedBatches.add(batchId)) {
				this.redeliveriesSkipped++;
				return false;
			}
			counts.forEach((product, views) -> this.totals.merge(product, views, Long::sum));
		}
		if (this.crashesAfterCommit.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
			// committed, but the application "dies" before the batch is acknowledged
			throw new IllegalStateException("Simulated crash after committing batch " + batchId);
		}
		return true;
	}

	public synchronized long views(long productId) {
		return this.totals.getOrDefault(productId, 0L);
	}

	public synchronized int redeliveriesSkipped() {
		return this.redeliveriesSkipped;
	}

	/**
	 * Makes the next flushes fail right after they committed, as an application killed between its
	 * database commit and the acknowledgement would.
	 * @param flushes how many flushes fail that way
	 */
	public void crashAfterCommit(int flushes) {
		this.crashesAfterCommit.set(flushes);
	}

}
