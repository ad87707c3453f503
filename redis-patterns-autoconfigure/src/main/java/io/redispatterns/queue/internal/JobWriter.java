package io.redispatterns.queue.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.JobOptions;

/**
 * Writes jobs with the enqueue scripts: the flat one for a plain job ({@code enqueue-one.lua}), the composed one
 * for batches, delays, dedupe keys, chosen ids and flows ({@code enqueue.lua}). Builds their arguments, sends
 * them, translates failures into the queue's exceptions and counts what was enqueued. When to write (now or
 * after a commit) is {@link RedisJobQueues}'s business.
 */
final class JobWriter {

	/** Queues whose encoded enqueue keys are kept. */
	private static final int MAX_CACHED_QUEUES = 1024;

	private static final byte[] ZERO = { '0' };

	private static final byte[] ONE = { '1' };

	private static final byte[] EMPTY = {};

	private final LuaScriptRunner scripts;

	private final QueueKeys keys;

	private final JsonCodec codec;

	private final QueueMetrics metrics;

	/** The keys of the enqueue script per queue, encoded once (queue names are few; bounded all the same). */
	private final Map<String, EnqueueKeys> enqueueKeys = new ConcurrentHashMap<>();

	JobWriter(LuaScriptRunner scripts, QueueKeys keys, JsonCodec codec, QueueMetrics metrics) {
		this.scripts = scripts;
		this.keys = keys;
		this.codec = codec;
		this.metrics = metrics;
	}

	/** The composed script's 11 arguments of one job (enqueue.lua). */
	List<String> jobArgs(JobId id, String name, String payload, JobOptions options,
			Map<String, String> headerMap, String parent, int children) {
		String headers = headerMap.isEmpty() ? "" : this.codec.encodeToString(headerMap);
		return Arrays.asList(id.value(), name, payload, Integer.toString(options.priority()),
				Long.toString(options.delay().toMillis()),
				(options.attempts() != null) ? options.attempts().toString() : "0",
				(options.backoff() != null) ? options.backoff().encode() : "",
				(options.dedupeKey() != null) ? options.dedupeKey() : "", headers, parent, Integer.toString(children));
	}

	List<JobId> write(String queue, List<JobId> ids, List<String> jobs) {
		return write(queue, ids, jobs, false);
	}

	/**
	 * @param generatedIds whether every id was generated for this call (none chosen by the caller), which lets
	 * the script skip its existence check for plain jobs (enqueue.lua)
	 */
	List<JobId> write(String queue, List<JobId> ids, List<String> jobs, boolean generatedIds) {
		// ARGV: base, job count, 11 per job, the enqueue time (empty when a job is delayed), generated ids
		EnqueueKeys keys = enqueueKeys(queue);
		byte[][] args = new byte[jobs.size() + 4][];
		args[0] = keys.base();
		args[1] = (ids.size() == 1) ? ONE : LuaScriptRunner.encode(Integer.toString(ids.size()));
		for (int i = 0; i < jobs.size(); i++) {
			args[i + 2] = LuaScriptRunner.encode(jobs.get(i));
		}
		args[jobs.size() + 2] = anyDelayed(jobs) ? EMPTY : LuaScriptRunner.encode(Long.toString(System.currentTimeMillis()));
		args[jobs.size() + 3] = generatedIds ? ONE : ZERO;
		List<?> reply;
		try {
			reply = this.scripts.run(QueueScripts.ENQUEUE, keys.keys(), args);
		}
		catch (RuntimeException ex) {
			throw JobFailures.translate(queue, ids, "Enqueueing " + ids.size() + " job(s)", ex);
		}
		this.metrics.enqueued(queue, ids.size());
		List<JobId> result = new ArrayList<>(ids.size());
		List<?> written = (reply != null) ? reply : List.of();
		for (int i = 0; i < written.size(); i++) {
			String id = String.valueOf(written.get(i));
			// the reply names the ids sent, unless a dedupe key found an earlier job: no second parse of those
			result.add((i < ids.size() && ids.get(i).value().equals(id)) ? ids.get(i) : JobId.of(id));
		}
		return result;
	}

	/** Whether a job takes the flat script (enqueue-one.lua): a generated id, no delay, no dedupe key. */
	static boolean isPlain(JobOptions options) {
		return options.jobId() == null && options.delay().isZero() && options.dedupeKey() == null;
	}

	/**
	 * The flat script's arguments: id, clock, payload, then headers, name, priority, max attempts and back-off, the
	 * trailing ones at their defaults left off (each argument costs Redis its marshalling).
	 */
	byte[][] plainArgs(JobId id, String name, String payload, JobOptions options,
			Map<String, String> headerMap) {
		String[] optional = { headerMap.isEmpty() ? "" : this.codec.encodeToString(headerMap), name,
				Integer.toString(options.priority()),
				(options.attempts() != null) ? options.attempts().toString() : "0",
				(options.backoff() != null) ? options.backoff().encode() : "" };
		String[] defaults = { "", "default", "0", "0", "" };
		int count = optional.length;
		while (count > 0 && optional[count - 1].equals(defaults[count - 1])) {
			count--;
		}
		byte[][] args = new byte[3 + count][];
		args[0] = LuaScriptRunner.encode(id.value());
		args[2] = LuaScriptRunner.encode(payload);
		for (int i = 0; i < count; i++) {
			args[3 + i] = LuaScriptRunner.encode(optional[i]);
		}
		return args;
	}

	JobId writePlain(String queue, JobId id, byte[][] args) {
		// the clock when the job is written (after a commit, not when it was deferred), like write()
		args[1] = LuaScriptRunner.encode(Long.toString(System.currentTimeMillis()));
		try {
			this.scripts.run(QueueScripts.ENQUEUE_ONE, enqueueKeys(queue).keys(), args);
		}
		catch (RuntimeException ex) {
			throw JobFailures.translate(queue, List.of(id), "Enqueueing 1 job(s)", ex);
		}
		this.metrics.enqueued(queue, 1);
		return id;
	}

	private EnqueueKeys enqueueKeys(String queue) {
		EnqueueKeys keys = this.enqueueKeys.get(queue);
		if (keys == null) {
			keys = new EnqueueKeys(
					LuaScriptRunner.encodeAll(List.of(this.keys.waiting(queue), this.keys.delayed(queue),
							this.keys.marker(queue), this.keys.meta(queue))),
					LuaScriptRunner.encode(this.keys.base(queue)));
			if (this.enqueueKeys.size() < MAX_CACHED_QUEUES) {
				this.enqueueKeys.put(queue, keys);
			}
		}
		return keys;
	}

	/**
	 * The enqueue script's keys and its first argument, UTF-8; never modified.
	 * @param keys waiting, delayed, marker, meta
	 * @param base the queue's base key
	 */
	private record EnqueueKeys(byte[][] keys, byte[] base) {
	}

	/** Whether any of the jobs (11 arguments each, the delay fifth) is delayed. */
	private static boolean anyDelayed(List<String> jobs) {
		for (int i = 4; i < jobs.size(); i += 11) {
			if (!"0".equals(jobs.get(i))) {
				return true;
			}
		}
		return false;
	}

}
