package io.redispatterns.stream.autoconfigure;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.redispatterns.stream.internal.StreamMetrics;

/**
 * Records stream meters: {@code redis.patterns.stream.messages{stream,group,outcome}},
 * {@code redis.patterns.stream.handler{stream,group,outcome}}, {@code redis.patterns.stream.published{stream,result}},
 * {@code redis.patterns.stream.group.recreations{stream,group}}
 * and the gauges {@code redis.patterns.stream.pending} and {@code redis.patterns.stream.lag}. A listener's
 * counters and timers are registered at zero when its container is created.
 */
final class MicrometerStreamMetrics implements StreamMetrics {

	private final MeterRegistry registry;

	MicrometerStreamMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void register(String stream, String group) {
		for (String outcome : OUTCOMES) {
			messagesCounter(stream, group, outcome);
		}
		handlerTimer(stream, group, true);
		handlerTimer(stream, group, false);
		recreationsCounter(stream, group);
	}

	@Override
	public void message(String stream, String group, String outcome) {
		messages(stream, group, outcome, 1);
	}

	@Override
	public void messages(String stream, String group, String outcome, long count) {
		if (count <= 0) {
			return;
		}
		messagesCounter(stream, group, outcome).increment(count);
	}

	private Counter messagesCounter(String stream, String group, String outcome) {
		return Counter.builder("redis.patterns.stream.messages")
			.description("Stream entries by outcome")
			.tag("stream", stream)
			.tag("group", group)
			.tag("outcome", outcome)
			.register(this.registry);
	}

	@Override
	public void handled(String stream, String group, boolean success, long nanos) {
		handlerTimer(stream, group, success).record(nanos, TimeUnit.NANOSECONDS);
	}

	private Timer handlerTimer(String stream, String group, boolean success) {
		return Timer.builder("redis.patterns.stream.handler")
			.description("Run time of stream listener methods")
			.tag("stream", stream)
			.tag("group", group)
			.tag("outcome", success ? "success" : "error")
			.register(this.registry);
	}

	@Override
	public void published(String stream, boolean duplicate) {
		Counter.builder("redis.patterns.stream.published")
			.description("Entries published, and publishes dropped as duplicates of an idempotency key")
			.tag("stream", stream)
			.tag("result", duplicate ? "duplicate" : "published")
			.register(this.registry)
			.increment();
	}

	@Override
	public void groupRecreated(String stream, String group) {
		recreationsCounter(stream, group).increment();
	}

	private Counter recreationsCounter(String stream, String group) {
		return Counter.builder("redis.patterns.stream.group.recreations")
			.description("Consumer groups created again after they vanished (Redis restarted empty, failover, flush)")
			.tag("stream", stream)
			.tag("group", group)
			.register(this.registry);
	}

	@Override
	public <T> void groupGauges(String stream, String group, T source, ToDoubleFunction<T> pending,
			ToDoubleFunction<T> lag) {
		Gauge.builder("redis.patterns.stream.pending", source, pending)
			.description("Entries delivered to the group and not yet acknowledged (XINFO GROUPS; -1 when unknown)")
			.tag("stream", stream)
			.tag("group", group)
			.register(this.registry);
		Gauge.builder("redis.patterns.stream.lag", source, lag)
			.description("Entries not yet delivered to the group (XINFO GROUPS lag; -1 when unknown)")
			.tag("stream", stream)
			.tag("group", group)
			.register(this.registry);
	}

}
