package io.redispatterns.writebehind.autoconfigure;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.redispatterns.writebehind.internal.WriteBehindMetrics;

/**
 * Records write-behind meters: {@code redis.patterns.write-behind.writes{buffer,outcome}}, the timer
 * {@code redis.patterns.write-behind.flush{buffer,outcome=success|failure|dead}} (flush time),
 * {@code redis.patterns.write-behind.flushed{buffer}} (items persisted),
 * {@code redis.patterns.write-behind.failures{buffer}} (failed flushes, dead-lettered ones included) and
 * the gauge {@code redis.patterns.write-behind.backlog{buffer}}. The counters and timers of a configured or
 * flushed buffer are registered at zero at start-up.
 */
final class MicrometerWriteBehindMetrics implements WriteBehindMetrics {

	private final MeterRegistry registry;

	MicrometerWriteBehindMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void register(String buffer) {
		for (String outcome : WRITE_OUTCOMES) {
			writesCounter(buffer, outcome);
		}
		for (String outcome : FLUSH_OUTCOMES) {
			flushTimer(buffer, outcome);
		}
		flushedCounter(buffer);
		failuresCounter(buffer);
	}

	@Override
	public void write(String buffer, String outcome) {
		writesCounter(buffer, outcome).increment();
	}

	private Counter writesCounter(String buffer, String outcome) {
		return Counter.builder("redis.patterns.write-behind.writes")
			.description("Writes to write-behind buffers by outcome (accepted, coalesced, rejected)")
			.tag("buffer", buffer)
			.tag("outcome", outcome)
			.register(this.registry);
	}

	@Override
	public void flush(String buffer, String outcome, int items, long nanos) {
		flushTimer(buffer, outcome).record(nanos, TimeUnit.NANOSECONDS);
		if (outcome.equals("success")) {
			flushedCounter(buffer).increment(items);
		}
		else {
			failuresCounter(buffer).increment();
		}
	}

	private Timer flushTimer(String buffer, String outcome) {
		return Timer.builder("redis.patterns.write-behind.flush")
			.description("Run time of flush methods by outcome")
			.tag("buffer", buffer)
			.tag("outcome", outcome)
			.register(this.registry);
	}

	private Counter flushedCounter(String buffer) {
		return Counter.builder("redis.patterns.write-behind.flushed")
			.description("Items persisted by flush methods")
			.tag("buffer", buffer)
			.register(this.registry);
	}

	private Counter failuresCounter(String buffer) {
		return Counter.builder("redis.patterns.write-behind.failures")
			.description("Failed flushes (retried or dead-lettered)")
			.tag("buffer", buffer)
			.register(this.registry);
	}

	@Override
	public <T> void backlogGauge(String buffer, T source, ToDoubleFunction<T> backlog) {
		Gauge.builder("redis.patterns.write-behind.backlog", source, backlog)
			.description("Keys pending plus in flight, as last read by the flusher (-1 when unknown)")
			.tag("buffer", buffer)
			.register(this.registry);
	}

}
