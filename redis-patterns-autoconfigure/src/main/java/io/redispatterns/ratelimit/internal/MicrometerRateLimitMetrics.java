package io.redispatterns.ratelimit.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.redispatterns.ratelimit.RateLimitMetrics;

/**
 * {@link RateLimitMetrics} on a Micrometer {@link MeterRegistry}. Created by the
 * auto-configuration when Micrometer is present.
 */
public final class MicrometerRateLimitMetrics implements RateLimitMetrics {

	private static final java.util.List<String> RESULTS = java.util.List.of("allowed", "rejected", "degraded");

	private static final java.util.List<String> FAILURE_REASONS = java.util.List.of("error", "timeout", "circuit-open");

	private final MeterRegistry registry;

	// by policy, then result: looked up on every decision without building a combined key
	private final Map<String, Map<String, Counter>> decisions = new ConcurrentHashMap<>();

	private final Map<String, Map<String, Timer>> timers = new ConcurrentHashMap<>();

	private final Map<String, Counter> failures = new ConcurrentHashMap<>();

	/**
	 * Creates the metrics.
	 * @param registry the registry
	 */
	public MicrometerRateLimitMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void register(String policy) {
		for (String result : RESULTS) {
			decisionCounter(policy, result);
			latencyTimer(policy, result);
		}
		for (String reason : FAILURE_REASONS) {
			failureCounter(reason);
		}
	}

	@Override
	public void decision(String policy, String result) {
		decisionCounter(policy, result).increment();
	}

	private Counter decisionCounter(String policy, String result) {
		Map<String, Counter> byResult = this.decisions.get(policy);
		Counter counter = (byResult != null) ? byResult.get(result) : null;
		if (counter != null) {
			return counter;
		}
		return this.decisions.computeIfAbsent(policy, (p) -> new ConcurrentHashMap<>())
			.computeIfAbsent(result, (r) -> Counter.builder("redis.patterns.ratelimit.decisions")
					.description("Rate-limit decisions per policy and result")
					.tag("policy", policy)
					.tag("result", result)
					.register(this.registry));
	}

	@Override
	public void latency(String policy, String result, long nanos) {
		latencyTimer(policy, result).record(nanos, TimeUnit.NANOSECONDS);
	}

	private Timer latencyTimer(String policy, String result) {
		Map<String, Timer> byResult = this.timers.get(policy);
		Timer timer = (byResult != null) ? byResult.get(result) : null;
		if (timer != null) {
			return timer;
		}
		return this.timers.computeIfAbsent(policy, (p) -> new ConcurrentHashMap<>())
			.computeIfAbsent(result, (r) -> Timer.builder("redis.patterns.ratelimit.latency")
					.description("Time to decide a rate-limited request, including the Redis round trip")
					.tag("policy", policy)
					.tag("result", result)
					.register(this.registry));
	}

	@Override
	public void failure(String reason) {
		failureCounter(reason).increment();
	}

	private Counter failureCounter(String reason) {
		return this.failures.computeIfAbsent(reason,
				(k) -> Counter.builder("redis.patterns.ratelimit.failures")
					.description("Decisions Redis could not make (error, timeout, circuit breaker open)")
					.tag("reason", reason)
					.register(this.registry));
	}

}
