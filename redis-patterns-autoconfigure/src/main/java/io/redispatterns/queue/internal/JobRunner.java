package io.redispatterns.queue.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.JsonCodecException;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.queue.JobCompletedEvent;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.internal.JobWorkerContainer.State;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.core.StringRedisTemplate;

import static io.redispatterns.core.RedisFailures.rootMessage;
import static io.redispatterns.queue.internal.JobWorkerContainer.text;

/**
 * Internal: runs the jobs of one {@link JobWorkerContainer} on its worker threads and finishes them: a handler
 * that returns completes its job (the completion leases the worker's next job in the same script, so a worker
 * goes on without a hand-off while jobs are waiting), one that throws retries or dead-letters it
 * ({@link JobFailureRecorder}); every finishing script proves the lease by its active-set member ({@code lease.lua}).
 * A flow's child reports to its parent first.
 */
final class JobRunner {

	private static final Log logger = LogFactory.getLog(JobWorkerContainer.class);

	private static final long PROMOTE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private final JobWorkerContainer container;

	private final String queue;

	private final Map<String, JobHandlerBinding> handlers;

	private final QueueSettings settings;

	private final String @Nullable [] rateArguments;

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final QueueKeys keys;

	private final JsonCodec codec;

	private final QueueMetrics metrics;

	private final @Nullable ApplicationEventPublisher events;

	private final JobObservations observations;

	private final String worker;

	JobRunner(JobWorkerContainer container) {
		this.container = container;
		this.queue = container.queue;
		this.handlers = container.handlers;
		this.settings = container.settings;
		this.rateArguments = container.rateArguments;
		this.redis = container.redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.keys = container.keys;
		this.codec = container.codec;
		this.metrics = container.metrics;
		this.events = container.events;
		this.observations = container.observations;
		this.worker = container.worker;
	}

	String nextToken() {
		return this.worker + ":" + this.container.tokens.incrementAndGet();
	}

	/** The jobs of a take or complete reply, 11 fields each from {@code offset} ({@code lease.lua}). */
	List<DefaultJobContext> leased(List<?> reply, int offset) {
		long leaseDeadline = System.currentTimeMillis() + this.settings.lease().toMillis();
		List<DefaultJobContext> jobs = new ArrayList<>();
		for (int i = offset; i + 10 < reply.size(); i += 11) {
			TakenJob job = new TakenJob(text(reply.get(i)), text(reply.get(i + 1)), text(reply.get(i + 2)),
					(int) RedisJobQueues.number(reply.get(i + 3)), Integer.parseInt(text(reply.get(i + 4))),
					text(reply.get(i + 5)), RedisJobQueues.number(reply.get(i + 6)), text(reply.get(i + 7)),
					text(reply.get(i + 8)), text(reply.get(i + 9)), text(reply.get(i + 10)));
			jobs.add(new DefaultJobContext(this.queue, job, maxAttempts(job), headers(job), this.redis, this.codec,
					this.keys.job(this.queue, job.id()), this.keys.active(this.queue), this.settings.logMaxLines(),
					leaseDeadline));
		}
		return jobs;
	}

	int maxAttempts(TakenJob job) {
		if (job.maxAttempts() > 0) {
			return job.maxAttempts();
		}
		JobHandlerBinding binding = this.handlers.get(job.name());
		if (binding != null && binding.maxAttempts() > 0) {
			return binding.maxAttempts();
		}
		return this.settings.maxAttempts();
	}

	@SuppressWarnings("unchecked")
	Map<String, String> headers(TakenJob job) {
		if (job.headers().isEmpty()) {
			return Map.of();
		}
		try {
			Map<String, String> headers = this.codec.decode(job.headers().getBytes(StandardCharsets.UTF_8), Map.class);
			return (headers != null) ? Collections.unmodifiableMap(headers) : Map.of();
		}
		catch (JsonCodecException ex) {
			return Map.of();
		}
	}

	int dispatchAll(List<DefaultJobContext> jobs) {
		int used = 0;
		for (DefaultJobContext context : jobs) {
			started(context);
			ExecutorService executor = this.container.workers;
			try {
				if (executor == null) {
					throw new java.util.concurrent.RejectedExecutionException("no workers");
				}
				executor.execute(() -> runFrom(context));
				used++;
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				// shutting down: give the job back without counting the attempt
				this.container.inFlight.remove(context.job().id());
				this.container.failures.release(context);
			}
		}
		return used;
	}

	void started(DefaultJobContext context) {
		this.container.inFlight.put(context.job().id(), context);
		this.metrics.waited(this.queue, context.job().waitedMillis());
	}

	/**
	 * Runs a job on a worker slot, then the jobs its completions leased next (one round trip per job while
	 * jobs are waiting, no hand-off to the reader thread); frees the slot when no next job came.
	 */
	void runFrom(DefaultJobContext first) {
		DefaultJobContext context = first;
		try {
			while (context != null) {
				DefaultJobContext next;
				try {
					next = process(context);
				}
				finally {
					this.container.inFlight.remove(context.job().id());
				}
				if (next != null) {
					if (this.container.state != State.RUNNING || this.container.aborted) {
						// stopping: taken in the race with stop(); given back without counting the attempt
						this.container.failures.release(next);
						next = null;
					}
					else {
						started(next);
					}
				}
				context = next;
			}
		}
		finally {
			this.container.slots.release();
		}
	}

	/** Runs one job; returns the next job its completion leased to this worker, if any. */
	@Nullable DefaultJobContext process(DefaultJobContext context) {
		TakenJob job = context.job();
		JobHandlerBinding binding = this.handlers.get(job.name());
		if (binding == null) {
			this.container.failures.dead(context, "No @RedisJobHandler for job name '" + job.name() + "' on queue '" + this.queue + "'", 0);
			return null;
		}
		Object payload;
		try {
			payload = binding.handler().decode(job.payload(), this.codec);
		}
		catch (JsonCodecException ex) {
			this.container.failures.dead(context, "Payload could not be decoded: " + rootMessage(ex), 0);
			return null;
		}
		long start = System.nanoTime();
		Object result;
		try {
			Object decoded = payload;
			// NullAway: a handler may return null, which CheckedCallable<T> allows through its type argument;
			// NullAway sees type arguments only in JSpecify mode, not available on JDK 17 (CONTRIBUTING.md)
			@SuppressWarnings("NullAway")
			Observation.CheckedCallable<@Nullable Object, Throwable> handle = () -> binding.handler().invoke(decoded, context);
			result = this.observations.process(this.queue, job.name(), context.headers(), handle);
		}
		catch (Throwable ex) {
			long nanos = System.nanoTime() - start;
			this.metrics.handled(this.queue, job.name(), false, nanos);
			if (this.container.aborted) {
				return null;
			}
			this.metrics.job(this.queue, QueueMetrics.FAILED);
			String error = ex.getClass().getName() + ": " + ex.getMessage();
			if (job.attempt() >= context.maxAttempts()) {
				this.container.failures.dead(context, error, nanos);
			}
			else {
				this.container.failures.retry(context, error, this.container.failures.backoff(job).delayAfter(job.attempt()), nanos);
			}
			return null;
		}
		long nanos = System.nanoTime() - start;
		this.metrics.handled(this.queue, job.name(), true, nanos);
		if (this.container.aborted) {
			return null;
		}
		String json;
		try {
			json = this.codec.encodeToString(result);
		}
		catch (JsonCodecException ex) {
			this.container.failures.retry(context, "Result could not be encoded: " + rootMessage(ex), Duration.ZERO, nanos);
			return null;
		}
		if (!this.container.failures.reportToParent(job, "c", json)) {
			return null;
		}
		return complete(context, json, nanos);
	}

	/**
	 * Completes a job and, unless the queue is rate-limited (its limit is decided by the reader's take) or the
	 * container is stopping, leases the worker's next job in the same script.
	 */
	@Nullable DefaultJobContext complete(DefaultJobContext context, String json, long nanos) {
		TakenJob job = context.job();
		boolean takeNext = this.rateArguments == null && this.container.state == State.RUNNING;
		String nextToken = takeNext ? nextToken() : "";
		String promote = (takeNext && promoteDelayedNow()) ? "1" : "0";
		List<?> reply = this.container.failures.finish("complete", () -> this.scripts.run(QueueScripts.COMPLETE,
				List.of(this.keys.job(this.queue, job.id()), this.keys.active(this.queue),
						this.keys.completed(this.queue), this.keys.waiting(this.queue), this.keys.delayed(this.queue),
						this.keys.meta(this.queue)),
				this.keys.base(this.queue), job.id(), context.lease(), json,
				Long.toString(this.settings.keepCompleted()), Long.toString(this.settings.keepCompletedFor().toMillis()),
				Long.toString(this.settings.eventsMaxLength()), Long.toString(this.settings.dedupeWindow().toMillis()),
				nextToken, Long.toString(this.settings.lease().toMillis()), promote,
				Long.toString(System.currentTimeMillis()), Integer.toString(job.attempt()), job.facts()));
		if (reply == null || reply.size() < 3) {
			return null;
		}
		if (RedisJobQueues.number(reply.get(0)) == 1) {
			this.metrics.job(this.queue, QueueMetrics.COMPLETED);
			publish(new JobCompletedEvent(this.queue, JobId.of(job.id()), job.name(), job.attempt(),
					Duration.ofNanos(nanos)));
		}
		else {
			logger.warn("Job queue '" + this.queue + "': completion of job " + job.id()
					+ " was rejected: its lease expired and it was recovered (it runs again or ran elsewhere)");
		}
		long nextDue = RedisJobQueues.number(reply.get(1));
		if (nextDue >= 0 && RedisJobQueues.number(reply.get(2)) == 0) {
			this.container.takeLoop.scheduleWake(nextDue);
		}
		List<DefaultJobContext> next = leased(reply, 3);
		return next.isEmpty() ? null : next.get(0);
	}

	/**
	 * Whether a completion should promote due delayed jobs too: at most every {@link #PROMOTE_EVERY_NANOS} (the
	 * reader's take always does, and a local timer wakes it at each known due time), so a backlog costs one
	 * delayed-set lookup per interval instead of one per job.
	 */
	boolean promoteDelayedNow() {
		long now = System.nanoTime();
		if (now - this.container.lastDelayedCheck < PROMOTE_EVERY_NANOS) {
			return false;
		}
		this.container.lastDelayedCheck = now;
		return true;
	}

	void publish(Object event) {
		if (this.events != null) {
			try {
				this.events.publishEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("A listener of " + event.getClass().getSimpleName() + " failed", ex);
			}
		}
	}

}
