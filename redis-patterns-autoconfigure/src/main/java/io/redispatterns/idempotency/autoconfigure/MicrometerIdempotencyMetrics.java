package io.redispatterns.idempotency.autoconfigure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.idempotency.IdempotencyMetrics;

/**
 * Publishes {@code redis.patterns.idempotency.requests{name,outcome}} and
 * {@code redis.patterns.idempotency.store.failures{name}} and
 * {@code redis.patterns.idempotency.lease.renewals{name}}.
 */
final class MicrometerIdempotencyMetrics implements IdempotencyMetrics {

	private final MeterRegistry registry;

	MicrometerIdempotencyMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void request(String name, Outcome outcome) {
		Counter.builder("redis.patterns.idempotency.requests")
			.description("Requests to @Idempotent handlers that carried an idempotency key, by outcome")
			.tag("name", name)
			.tag("outcome", outcome.value())
			.register(this.registry)
			.increment();
	}

	@Override
	public void storeFailed(String name) {
		Counter.builder("redis.patterns.idempotency.store.failures")
			.description("Responses not stored or keys not released because Redis failed after the handler ran")
			.tag("name", name)
			.register(this.registry)
			.increment();
	}

	@Override
	public void leaseRenewed(String name) {
		Counter.builder("redis.patterns.idempotency.lease.renewals")
			.description("Renewals of the in-progress marker of requests running longer than a third of the lease")
			.tag("name", name)
			.register(this.registry)
			.increment();
	}

}
