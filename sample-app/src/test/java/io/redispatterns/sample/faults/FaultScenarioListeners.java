package io.redispatterns.sample.faults;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.redispatterns.queue.RedisJobHandler;
import io.redispatterns.stream.RedisStreamListener;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.data.redis.annotation.RedisListener;

/**
 * What the fault scenarios listen to: a stream and a job queue whose handled entries and jobs are
 * recorded, and a pub/sub channel whose received probes are recorded with the times they were sent and
 * received.
 */
@TestConfiguration(proxyBeanMethods = false)
public class FaultScenarioListeners {

	/** The stream the scenarios publish to. */
	public static final String STREAM = "fault-events";

	/** The pub/sub channel (under the key prefix) the scenarios publish probes to. */
	public static final String CHANNEL = "fault-probes";

	/** The job queue the scenarios enqueue to. */
	public static final String QUEUE = "fault-jobs";

	/** Ids of the jobs a handler ran (at least once). */
	final Set<String> jobsRun = ConcurrentHashMap.newKeySet();

	/** Ids of the stream entries a handler ran for (at least once). */
	final Set<String> handled = ConcurrentHashMap.newKeySet();

	/** Probes received over pub/sub, with the time they arrived. */
	final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

	/**
	 * A stream entry of the scenarios.
	 * @param id unique per publish
	 */
	public record Event(String id) {
	}

	/**
	 * A pub/sub probe.
	 * @param sentNanos {@link System#nanoTime()} when it was published
	 */
	public record Probe(long sentNanos) {
	}

	/**
	 * A probe as it arrived.
	 * @param sentNanos when it was published
	 * @param receivedNanos when the listener got it
	 */
	record Received(long sentNanos, long receivedNanos) {
	}

	@RedisStreamListener(stream = STREAM, group = "audit", concurrency = 2)
	void on(Event event) {
		this.handled.add(event.id());
	}

	@RedisJobHandler(queue = QUEUE, concurrency = 2)
	void run(Event job) {
		this.jobsRun.add(job.id());
	}

	@RedisListener(topic = "${redis-patterns.pubsub.channel-prefix}" + CHANNEL)
	void on(Probe probe) {
		this.received.add(new Received(probe.sentNanos(), System.nanoTime()));
	}

}
