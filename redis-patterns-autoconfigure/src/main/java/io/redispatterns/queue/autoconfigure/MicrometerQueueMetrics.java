package io.redispatterns.queue.autoconfigure;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.redispatterns.queue.internal.QueueMetrics;

/**
 * Records job-queue meters: {@code redis.patterns.queue.jobs{queue,outcome}},
 * {@code redis.patterns.queue.enqueued{queue}}, the timers {@code redis.patterns.queue.handler{queue,name,outcome}}
 * and {@code redis.patterns.queue.wait{queue}} (from ready to started), and the gauge
 * {@code redis.patterns.queue.depth{queue,state}}. A worked queue's counters and timers are registered at zero
 * when its worker container is created.
 */
final class MicrometerQueueMetrics implements QueueMetrics {

	private final MeterRegistry registry;

	MicrometerQueueMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void register(String queue, Collection<String> names) {
		for (String outcome : OUTCOMES) {
			jobsCounter(queue, outcome);
		}
		enqueuedCounter(queue);
		waitTimer(queue);
		for (String name : names) {
			handlerTimer(queue, name, true);
			handlerTimer(queue, name, false);
		}
	}

	@Override
	public void job(String queue, String outcome) {
		jobsCounter(queue, outcome).increment();
	}

	private Counter jobsCounter(String queue, String outcome) {
		return Counter.builder("redis.patterns.queue.jobs")
			.description("Job attempts and jobs by outcome")
			.tag("queue", queue)
			.tag("outcome", outcome)
			.register(this.registry);
	}

	@Override
	public void enqueued(String queue, int count) {
		enqueuedCounter(queue).increment(count);
	}

	private Counter enqueuedCounter(String queue) {
		return Counter.builder("redis.patterns.queue.enqueued")
			.description("Jobs sent to Redis for enqueueing")
			.tag("queue", queue)
			.register(this.registry);
	}

	@Override
	public void handled(String queue, String name, boolean success, long nanos) {
		handlerTimer(queue, name, success).record(nanos, TimeUnit.NANOSECONDS);
	}

	private Timer handlerTimer(String queue, String name, boolean success) {
		return Timer.builder("redis.patterns.queue.handler")
			.description("Run time of job handler methods")
			.tag("queue", queue)
			.tag("name", name)
			.tag("outcome", success ? "success" : "error")
			.register(this.registry);
	}

	@Override
	public void waited(String queue, long millis) {
		waitTimer(queue).record(Math.max(0, millis), TimeUnit.MILLISECONDS);
	}

	private Timer waitTimer(String queue) {
		return Timer.builder("redis.patterns.queue.wait")
			.description("Time from a job becoming ready (enqueued, or due) to a worker taking it")
			.tag("queue", queue)
			.register(this.registry);
	}

	@Override
	public <T> void depthGauge(String queue, String state, T source, ToDoubleFunction<T> depth) {
		Gauge.builder("redis.patterns.queue.depth", source, depth)
			.description("Jobs of a queue per state (read at most every 2 s; -1 when unknown)")
			.tag("queue", queue)
			.tag("state", state)
			.register(this.registry);
	}

}
