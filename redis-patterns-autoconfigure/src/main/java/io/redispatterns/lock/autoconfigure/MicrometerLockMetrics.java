package io.redispatterns.lock.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.redispatterns.lock.LockMetrics;

/**
 * Records lock events in Micrometer: {@code redis.patterns.lock.acquire{lock,result}},
 * {@code redis.patterns.lock.held{lock}} and {@code redis.patterns.lock.lost{lock}}.
 */
final class MicrometerLockMetrics implements LockMetrics {

	private final MeterRegistry registry;

	private final Map<String, Timer> acquireTimers = new ConcurrentHashMap<>();

	private final Map<String, Timer> heldTimers = new ConcurrentHashMap<>();

	private final Map<String, Counter> lostCounters = new ConcurrentHashMap<>();

	MicrometerLockMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void register(String lock) {
		for (AcquireResult result : AcquireResult.values()) {
			acquireTimer(lock, result);
		}
		heldTimer(lock);
		lostCounter(lock);
	}

	@Override
	public void acquire(String lock, AcquireResult result, Duration duration) {
		acquireTimer(lock, result).record(duration);
	}

	@Override
	public void held(String lock, Duration duration) {
		heldTimer(lock).record(duration);
	}

	@Override
	public void lost(String lock) {
		lostCounter(lock).increment();
	}

	private Timer acquireTimer(String lock, AcquireResult result) {
		return this.acquireTimers.computeIfAbsent(lock + '\0' + result.tagValue(), (key) -> Timer
			.builder("redis.patterns.lock.acquire")
			.description("Time spent acquiring distributed locks, waiting included")
			.tag("lock", lock)
			.tag("result", result.tagValue())
			.register(this.registry));
	}

	private Timer heldTimer(String lock) {
		return this.heldTimers.computeIfAbsent(lock, (key) -> Timer.builder("redis.patterns.lock.held")
			.description("Time distributed locks were held")
			.tag("lock", lock)
			.register(this.registry));
	}

	private Counter lostCounter(String lock) {
		return this.lostCounters.computeIfAbsent(lock, (key) -> Counter.builder("redis.patterns.lock.lost")
			.description("Leases found lost by a renewal or the release")
			.tag("lock", lock)
			.register(this.registry));
	}

}
