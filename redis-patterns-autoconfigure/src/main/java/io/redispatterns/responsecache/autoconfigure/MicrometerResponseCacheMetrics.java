package io.redispatterns.responsecache.autoconfigure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.responsecache.ResponseCacheMetrics;

/**
 * Publishes {@code redis.patterns.response.cache.requests{route,result}},
 * {@code redis.patterns.response.cache.bypassed{route,reason}} and
 * {@code redis.patterns.response.cache.stores{route,outcome}}.
 */
final class MicrometerResponseCacheMetrics implements ResponseCacheMetrics {

	private final MeterRegistry registry;

	MicrometerResponseCacheMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void request(String route, Result result) {
		Counter.builder("redis.patterns.response.cache.requests")
			.description("Cacheable requests by how they were answered: hit, not-modified (304 from the cache), "
					+ "miss (the handler ran) or bypassed")
			.tag("route", route)
			.tag("result", result.value())
			.register(this.registry)
			.increment();
	}

	@Override
	public void bypassed(String route, String reason) {
		Counter.builder("redis.patterns.response.cache.bypassed")
			.description("Cacheable requests the handler answered without the cache, by reason")
			.tag("route", route)
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

	@Override
	public void store(String route, String outcome) {
		Counter.builder("redis.patterns.response.cache.stores")
			.description("Responses of misses: stored, or why not (too-large, status, set-cookie, no-store, "
					+ "session, async)")
			.tag("route", route)
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

}
