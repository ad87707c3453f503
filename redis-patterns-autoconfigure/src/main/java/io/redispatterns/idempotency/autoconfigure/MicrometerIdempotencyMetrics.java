package io.redispatterns.idempotency.autoconfigure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.idempotency.IdempotencyMetrics;

/**
 * Publishes {@code redis.patterns.idempotency.requests{name,outcome}} and
 * {@code redis.patterns.idempotency.store.failures{name}} and
 * {@code redis.patterns.idempotency.lease.renewals{name}}, registered at zero for every {@code @Idempotent}
 * handler at start-up.
 */
final class MicrometerIdempotencyMetrics implements IdempotencyMetrics {

	private final MeterRegistry registry;

	MicrometerIdempotencyMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void register(String name) {
		for (Outcome outcome : Outcome.values()) {
			requestsCounter(name, outcome);
		}
		storeFailuresCounter(name);
		renewalsCounter(name);
	}

	@Override
	public void request(String name, Outcome outcome) {
		requestsCounter(name, outcome).increment();
	}

	private Counter requestsCounter(String name, Outcome outcome) {
		return Counter.builder("redis.patterns.idempotency.requests")
			.description("Requests to @Idempotent handlers that carried an idempotency key, by outcome")
			.tag("name", name)
			.tag("outcome", outcome.value())
			.register(this.registry);
	}

	@Override
	public void storeFailed(String name) {
		storeFailuresCounter(name).increment();
	}

	private Counter storeFailuresCounter(String name) {
		return Counter.builder("redis.patterns.idempotency.store.failures")
			.description("Responses not stored or keys not released because Redis failed after the handler ran")
			.tag("name", name)
			.register(this.registry);
	}

	@Override
	public void leaseRenewed(String name) {
		renewalsCounter(name).increment();
	}

	private Counter renewalsCounter(String name) {
		return Counter.builder("redis.patterns.idempotency.lease.renewals")
			.description("Renewals of the in-progress marker of requests running longer than a third of the lease")
			.tag("name", name)
			.register(this.registry);
	}

}
