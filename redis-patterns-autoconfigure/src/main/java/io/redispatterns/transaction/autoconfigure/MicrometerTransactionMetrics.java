package io.redispatterns.transaction.autoconfigure;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.redispatterns.transaction.TransactionMetrics;

/**
 * Records transactions in Micrometer: {@code redis.patterns.transaction{result}} (time, back-offs
 * included), {@code redis.patterns.transaction.attempts{result}} and
 * {@code redis.patterns.transaction.conflicts}.
 */
final class MicrometerTransactionMetrics implements TransactionMetrics {

	private final MeterRegistry registry;

	private final Counter conflicts;

	MicrometerTransactionMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.conflicts = Counter.builder("redis.patterns.transaction.conflicts")
			.description("EXECs refused because a watched key changed")
			.register(registry);
	}

	@Override
	public void transaction(String result, int attempts, Duration duration) {
		Timer.builder("redis.patterns.transaction")
			.description("Optimistic transactions, back-offs included")
			.tag("result", result)
			.register(this.registry)
			.record(duration);
		DistributionSummary.builder("redis.patterns.transaction.attempts")
			.description("Attempts per optimistic transaction")
			.tag("result", result)
			.register(this.registry)
			.record(attempts);
	}

	@Override
	public void conflict() {
		this.conflicts.increment();
	}

}
