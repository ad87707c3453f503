package io.redispatterns.sample.faults;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.pubsub.PubSubPublisher;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.JobQueues;
import io.redispatterns.stream.StreamPublisher;
import org.awaitility.core.ConditionTimeoutException;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application with the scenario listeners, and the checks every fault scenario makes once
 * the load has run through a fault.
 */
abstract class SampleUnderLoad {

	@Autowired
	MockMvc mvc;

	@Autowired
	MeterRegistry meters;

	@Autowired
	LockTemplate locks;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RedisKeys keys;

	@Autowired
	StreamPublisher streams;

	@Autowired
	PubSubPublisher pubsub;

	@Autowired
	JobQueues queues;

	@Autowired
	FaultScenarioListeners listeners;

	PatternLoad load(PatternLoad.Settings settings) throws Exception {
		return new PatternLoad(this.mvc, this.meters, this.locks, this.redis, this.keys, this.streams, this.pubsub,
				this.queues, this.listeners, settings).start();
	}

	/** Waits, with a generous bound that only guards against a hang, until the condition holds. */
	static void awaitUpTo(Duration bound, String what, BooleanSupplier condition) {
		awaitUpTo(bound, what, condition, () -> "");
	}

	/** Like {@link #awaitUpTo(Duration, String, BooleanSupplier)}, with what to show when it times out. */
	static void awaitUpTo(Duration bound, String what, BooleanSupplier condition, Supplier<String> diagnostics) {
		try {
			// a condition that asks a node which is restarting or changing role may throw: try again
			await(what).atMost(bound).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
				.until(condition::getAsBoolean);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError("Timed out after " + bound.toSeconds() + " s waiting for " + what + "\n"
					+ diagnostics.get(), ex);
		}
	}

	/** The lock-guarded counter: acknowledged writes strictly increase in token and value, and none was lost. */
	static void assertFencedCounterNeverRegressed(PatternLoad load) {
		List<PatternLoad.FencedWrite> writes = load.fencedWrites();
		assertFencingTokensIncrease(writes);
		for (int i = 1; i < writes.size(); i++) {
			assertThat(writes.get(i).value()).as("counter value of write %d", i).isGreaterThan(writes.get(i - 1).value());
		}
		assertThat(load.counterValue()).as("the counter keeps every acknowledged write")
			.isGreaterThanOrEqualTo(writes.get(writes.size() - 1).value());
	}

	/**
	 * Fencing tokens of acknowledged lock-guarded writes strictly increase, even across a restart that lost
	 * the lock's fencing counter (the token has a Redis-time floor).
	 */
	static void assertFencingTokensIncrease(List<PatternLoad.FencedWrite> writes) {
		assertThat(writes).as("lock-guarded writes").isNotEmpty();
		for (int i = 1; i < writes.size(); i++) {
			assertThat(writes.get(i).token()).as("fencing token of write %d", i).isGreaterThan(writes.get(i - 1).token());
		}
	}

	/** Whether the job queue still knows a job (it was not lost with a failed-over master). */
	boolean jobKnown(String id) {
		return this.queues.status(FaultScenarioListeners.QUEUE, JobId.of(id)) != null;
	}

	/** Ids of the scenario's entries still in the stream. */
	Set<String> idsInStream() {
		String key = this.keys.tagged("stream", FaultScenarioListeners.STREAM, FaultScenarioListeners.STREAM);
		List<MapRecord<String, Object, Object>> records = this.redis.opsForStream().range(key, Range.unbounded());
		return records.stream()
			.flatMap((record) -> record.getValue().values().stream())
			.map(Object::toString)
			.flatMap((value) -> idIn(value).stream())
			.collect(Collectors.toSet());
	}

	private static List<String> idIn(String payload) {
		int at = payload.indexOf("\"id\":\"");
		if (at < 0) {
			return List.of();
		}
		int start = at + 6;
		int end = payload.indexOf('"', start);
		return (end > start) ? List.of(payload.substring(start, end)) : List.of();
	}

}
