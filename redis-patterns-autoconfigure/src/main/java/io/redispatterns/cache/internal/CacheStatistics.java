package io.redispatterns.cache.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * In-memory counters of one cache for the Actuator endpoint (independent of Micrometer).
 */
final class CacheStatistics {

	final LongAdder hits = new LongAdder();

	final LongAdder misses = new LongAdder();

	final LongAdder stale = new LongAdder();

	final LongAdder errors = new LongAdder();

	final LongAdder loads = new LongAdder();

	final LongAdder corrupt = new LongAdder();

	double hitRatio() {
		long served = this.hits.sum() + this.stale.sum();
		long total = served + this.misses.sum();
		return (total == 0) ? 0 : (double) served / total;
	}

}
