package io.redispatterns.queue.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.observation.ObservationRegistry;
import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.queue.FlowJob;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.JobOptions;
import io.redispatterns.queue.JobQueues;
import io.redispatterns.queue.JobState;
import io.redispatterns.queue.JobStatus;
import io.redispatterns.queue.QueueDepths;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Internal: the Redis implementation of {@link JobQueues}.
 */
public final class RedisJobQueues implements JobQueues {

	/** Jobs written per script call by {@link #enqueueAll}: bounds how long one script blocks Redis. */
	private static final int BATCH = 500;

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final QueueKeys keys;

	private final JsonCodec codec;

	private final JobObservations observations;

	private final JobWriter writer;

	public RedisJobQueues(StringRedisTemplate redis, QueueKeys keys, JsonCodec codec, QueueMetrics metrics) {
		this(redis, keys, codec, metrics, ObservationRegistry.NOOP);
	}

	/**
	 * Creates the job queues; enqueueing runs in an observation of the registry, whose tracing handlers (when
	 * present) put the trace context into the job's headers.
	 */
	public RedisJobQueues(StringRedisTemplate redis, QueueKeys keys, JsonCodec codec, QueueMetrics metrics,
			ObservationRegistry observations) {
		this.redis = redis;
		// enqueueing is the hot path of producers: no connection object per call (LuaScriptRunner#onSharedConnection)
		this.scripts = LuaScriptRunner.onSharedConnection(this.redis::getRequiredConnectionFactory);
		this.keys = keys;
		this.codec = codec;
		this.observations = new JobObservations(observations);
		this.writer = new JobWriter(this.scripts, keys, codec, metrics);
	}

	@Override
	public JobId enqueue(String queue, String name, Object payload, JobOptions options) {
		JobId id = (options.jobId() != null) ? JobId.of(options.jobId()) : JobId.generate();
		String json = this.codec.encodeToString(payload);
		return this.observations.enqueue(queue, options.headers(), (headers) -> {
			if (JobWriter.isPlain(options)) {
				byte[][] args = this.writer.plainArgs(id, name, json, options, headers);
				return nowOrAfterCommit(options, id, () -> this.writer.writePlain(queue, id, args));
			}
			List<String> job = this.writer.jobArgs(id, name, json, options, headers, "", 0);
			return nowOrAfterCommit(options, id,
					() -> this.writer.write(queue, List.of(id), job, options.jobId() == null).get(0));
		});
	}

	@Override
	public List<JobId> enqueueAll(String queue, String name, List<?> payloads, JobOptions options) {
		if (options.jobId() != null) {
			throw new IllegalArgumentException("enqueueAll generates the job ids; a chosen job id is not allowed");
		}
		return this.observations.enqueue(queue, options.headers(),
				(headers) -> enqueueAll(queue, name, payloads, options, headers));
	}

	private List<JobId> enqueueAll(String queue, String name, List<?> payloads, JobOptions options,
			Map<String, String> headers) {
		List<JobId> result = new ArrayList<>(payloads.size());
		for (int from = 0; from < payloads.size(); from += BATCH) {
			List<?> chunk = payloads.subList(from, Math.min(payloads.size(), from + BATCH));
			List<JobId> ids = new ArrayList<>(chunk.size());
			List<String> args = new ArrayList<>(chunk.size() * 11);
			for (Object payload : chunk) {
				JobId id = JobId.generate();
				ids.add(id);
				args.addAll(
						this.writer.jobArgs(id, name, this.codec.encodeToString(payload), options, headers, "", 0));
			}
			result.addAll(nowOrAfterCommit(options, ids, () -> this.writer.write(queue, ids, args, true)));
		}
		return result;
	}

	/**
	 * Writes now, or after the surrounding Spring transaction commits when the options ask for that and one is
	 * active (a rolled-back transaction enqueues nothing).
	 * @param whenDeferred what the caller is told when the write is deferred
	 */
	private static <T> T nowOrAfterCommit(JobOptions options, T whenDeferred, Supplier<T> write) {
		if (options.afterCommit() && TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					var unused = write.get(); // the caller was told whenDeferred already
				}
			});
			return whenDeferred;
		}
		return write.get();
	}

	@Override
	public List<JobId> enqueueFlow(FlowJob parent) {
		return this.observations.enqueue(parent.queue(), Map.of(), (trace) -> enqueueFlow(parent, trace));
	}

	private List<JobId> enqueueFlow(FlowJob parent, Map<String, String> trace) {
		List<FlowWrite> writes = new ArrayList<>();
		plan(parent, "", trace, writes);
		List<JobId> ids = writes.stream().map(FlowWrite::id).toList();
		// parents first: a child that finishes at once finds its parent waiting for it
		return nowOrAfterCommit(parent.options(), ids, () -> {
			writes.forEach((write) -> this.writer.write(write.queue(), List.of(write.id()), write.args()));
			return ids;
		});
	}

	/** Lists the jobs of a flow depth first, each parent before its children. */
	private void plan(FlowJob job, String parentRef, Map<String, String> trace, List<FlowWrite> writes) {
		JobId id = (job.options().jobId() != null) ? JobId.of(job.options().jobId()) : JobId.generate();
		Map<String, String> headers = new LinkedHashMap<>(job.options().headers());
		headers.putAll(trace);
		writes.add(new FlowWrite(job.queue(), id, this.writer.jobArgs(id, job.name(), this.codec.encodeToString(job.payload()),
				job.options(), headers, parentRef, job.children().size())));
		for (FlowJob child : job.children()) {
			plan(child, FlowParent.encode(child.failParentOnFailure(), id.value(), job.queue()), trace, writes);
		}
	}

	private record FlowWrite(String queue, JobId id, List<String> args) {
	}

	@Override
	public @Nullable JobStatus status(String queue, JobId id) {
		String job = this.keys.job(queue, id.value());
		Map<Object, Object> fields = this.redis.opsForHash().entries(job);
		for (int read = 1;; read++) {
			Object state = fields.get("s");
			// a lease writes nothing to the job hash (lease.lua): a job that looks waiting may be running
			if (fields.isEmpty() || (state != null && !"w".equals(state))) {
				return JobStatusReader.read(queue, id, fields, null);
			}
			String lease = activeLease(queue, id);
			if (lease != null) {
				return JobStatusReader.read(queue, id, fields, lease);
			}
			// No lease found: the job was waiting when its hash was read, unless a lease it held then ended during
			// the lookup; every end of a lease (complete, fail, release, recovery) writes the hash, so an unchanged
			// hash means waiting, and a changed one is read again.
			Map<Object, Object> again = this.redis.opsForHash().entries(job);
			if (again.equals(fields) || read == 3) {
				return JobStatusReader.read(queue, id, again, null);
			}
			fields = again;
		}
	}

	/** The job's member of the active set ({@code <id>|<start>|<token>}), if it is leased; the set is small. */
	private @Nullable String activeLease(String queue, JobId id) {
		ScanOptions options = ScanOptions.scanOptions().match(id.value() + "|*").count(1000).build();
		try (Cursor<ZSetOperations.TypedTuple<String>> members = this.redis.opsForZSet()
			.scan(this.keys.active(queue), options)) {
			while (members.hasNext()) {
				String member = members.next().getValue();
				if (member != null && member.startsWith(id.value() + "|")) {
					return member;
				}
			}
		}
		return null;
	}

	@Override
	public boolean cancel(String queue, JobId id) {
		Long cancelled = this.scripts.run(QueueScripts.CANCEL,
				List.of(this.keys.job(queue, id.value()), this.keys.waiting(queue), this.keys.delayed(queue)),
				this.keys.base(queue), id.value());
		return cancelled != null && cancelled == 1;
	}

	@Override
	public void pause(String queue) {
		this.scripts.run(QueueScripts.PAUSE, List.of(this.keys.waiting(queue), this.keys.marker(queue)), "1");
	}

	@Override
	public void resume(String queue) {
		this.scripts.run(QueueScripts.PAUSE, List.of(this.keys.waiting(queue), this.keys.marker(queue)), "0");
	}

	@Override
	public QueueDepths depths(String queue) {
		List<?> reply = this.scripts.run(QueueScripts.DEPTHS,
				List.of(this.keys.waiting(queue), this.keys.delayed(queue), this.keys.active(queue),
						this.keys.completed(queue), this.keys.dead(queue)));
		if (reply == null || reply.size() != 6) {
			throw new IllegalStateException("Unexpected reply of the depths script: " + reply);
		}
		return new QueueDepths(number(reply.get(0)), number(reply.get(1)), number(reply.get(2)),
				number(reply.get(3)), number(reply.get(4)), number(reply.get(5)) == 1);
	}

	@Override
	public @Nullable JobStatus awaitResult(String queue, JobId id, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		String events = this.keys.events(queue);
		// remember where the stream ends before reading the job, so no event between the two is missed
		List<MapRecord<String, Object, Object>> last = this.redis.opsForStream()
			.reverseRange(events, Range.unbounded(), org.springframework.data.redis.connection.Limit.limit().count(1));
		String offset = (last == null || last.isEmpty()) ? "0-0" : last.get(0).getId().getValue();
		// a completion writes its event only for an awaited job: marked before the status is read, so a
		// completion after the read is announced, and one before it is seen in the status
		this.scripts.run(QueueScripts.AWAIT, List.of(this.keys.job(queue, id.value())));
		JobStatus status = status(queue, id);
		if (status == null || isFinal(status.state())) {
			return status;
		}
		while (true) {
			long remaining = (deadline - System.nanoTime()) / 1_000_000;
			if (remaining <= 0) {
				return status(queue, id);
			}
			List<MapRecord<String, Object, Object>> records = this.redis.opsForStream()
				.read(StreamReadOptions.empty().count(100).block(Duration.ofMillis(Math.min(remaining, 1000))),
						StreamOffset.create(events, ReadOffset.from(offset)));
			if (records == null) {
				continue;
			}
			for (MapRecord<String, Object, Object> record : records) {
				offset = record.getId().getValue();
				if (id.value().equals(record.getValue().get("i"))) {
					JobStatus finished = status(queue, id);
					if (finished != null) {
						return finished;
					}
					return eventOnly(queue, id, record.getValue());
				}
			}
		}
	}

	/** A job removed at once by retention ({@code keep-completed=0}) is described from its event. */
	private static JobStatus eventOnly(String queue, JobId id, Map<Object, Object> event) {
		boolean completed = "completed".equals(event.get("e"));
		String detail = String.valueOf(event.get("v"));
		return new JobStatus(queue, id, "", completed ? JobState.COMPLETED : JobState.DEAD, 0, 0, null,
				completed ? detail : null, completed ? null : detail, List.of(), Instant.EPOCH, null, null);
	}

	private static boolean isFinal(JobState state) {
		return state == JobState.COMPLETED || state == JobState.DEAD;
	}

	static long number(@Nullable Object value) {
		if (value instanceof Number number) {
			return number.longValue();
		}
		if (value instanceof byte[] bytes) {
			return Long.parseLong(new String(bytes, StandardCharsets.UTF_8));
		}
		return (value != null) ? Long.parseLong(value.toString()) : 0;
	}

}
