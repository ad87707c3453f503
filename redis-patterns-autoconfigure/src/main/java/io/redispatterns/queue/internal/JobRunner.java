package io.redispatterns.queue.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.JsonCodecException;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.queue.Backoff;
import io.redispatterns.queue.JobCompletedEvent;
import io.redispatterns.queue.JobDeadEvent;
import io.redispatterns.queue.JobFailedEvent;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.internal.JobWorkerContainer.State;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.core.StringRedisTemplate;

import static io.redispatterns.core.RedisFailures.rootMessage;
import static io.redispatterns.queue.internal.JobWorkerContainer.min;
import static io.redispatterns.queue.internal.JobWorkerContainer.sleep;
import static io.redispatterns.queue.internal.JobWorkerContainer.text;

/**
 * Internal: runs the jobs of one {@link JobWorkerContainer} on its worker threads and finishes them: a handler
 * that returns completes its job (the completion leases the worker's next job in the same script, so a worker
 * goes on without a hand-off while jobs are waiting), one that throws retries or dead-letters it; every finishing
 * script checks the lease token. A flow's child reports to its parent first.
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
				release(context);
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
						release(next);
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
			dead(context, "No @RedisJobHandler for job name '" + job.name() + "' on queue '" + this.queue + "'", 0);
			return null;
		}
		Object payload;
		try {
			payload = binding.handler().decode(job.payload(), this.codec);
		}
		catch (JsonCodecException ex) {
			dead(context, "Payload could not be decoded: " + rootMessage(ex), 0);
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
				dead(context, error, nanos);
			}
			else {
				retry(context, error, backoff(job).delayAfter(job.attempt()), nanos);
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
			retry(context, "Result could not be encoded: " + rootMessage(ex), Duration.ZERO, nanos);
			return null;
		}
		if (!reportToParent(job, "c", json)) {
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
		List<?> reply = finish("complete", () -> this.scripts.run(QueueScripts.COMPLETE,
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

	Backoff backoff(TakenJob job) {
		if (!job.backoff().isEmpty()) {
			try {
				return Backoff.decode(job.backoff());
			}
			catch (RuntimeException ex) {
				logger.debug("Job " + job.id() + " has an unreadable back-off; using the default", ex);
			}
		}
		return this.settings.backoff();
	}

	void retry(DefaultJobContext context, String error, Duration delay, long nanos) {
		TakenJob job = context.job();
		Long outcome = fail(context, error, delay.toMillis());
		if (outcome != null && outcome == 2) {
			this.metrics.job(this.queue, QueueMetrics.RETRIED);
			publish(new JobFailedEvent(this.queue, JobId.of(job.id()), job.name(), job.attempt(), Duration.ofNanos(nanos),
					error, delay));
		}
	}

	void dead(DefaultJobContext context, String error, long nanos) {
		TakenJob job = context.job();
		logger.warn("Job queue '" + this.queue + "': job " + job.id() + " (" + job.name() + ") is dead-lettered after "
				+ job.attempt() + " attempt(s): " + error);
		if (!reportToParent(job, "f", error)) {
			return;
		}
		Long outcome = fail(context, error, -1);
		if (outcome != null && outcome == 3) {
			this.metrics.job(this.queue, QueueMetrics.DEAD);
			publish(new JobDeadEvent(this.queue, JobId.of(job.id()), job.name(), job.attempt(), Duration.ofNanos(nanos),
					error));
		}
	}

	/**
	 * Reports a flow child's completion or death to its parent, on the parent's queue, before the child's own
	 * state changes: a crash in between leaves the child leased, so it runs again after its lease and reports
	 * again, which the parent ignores (the report is keyed by the child's id). Reporting after the child's state
	 * change could lose the report instead.
	 * @return whether the child may go on to finish (no parent, or the report was applied)
	 */
	boolean reportToParent(TakenJob job, String outcome, String detail) {
		return reportToParent(job.id(), job.parent(), outcome, detail);
	}

	boolean reportToParent(String childId, String parentReference, String outcome, String detail) {
		FlowParent parent;
		try {
			parent = FlowParent.decode(parentReference);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Job queue '" + this.queue + "': job " + childId + " has an unreadable parent reference", ex);
			return true;
		}
		if (parent == null) {
			return true;
		}
		Long reported = this.<Long>finish("report a child job to its parent",
				() -> this.scripts.run(QueueScripts.CHILD_DONE,
						List.of(this.keys.job(parent.queue(), parent.id()), this.keys.waiting(parent.queue()),
								this.keys.marker(parent.queue()), this.keys.meta(parent.queue()),
								this.keys.dead(parent.queue())),
						this.keys.base(parent.queue()), parent.id(), childId, outcome, detail,
						parent.failParent() ? "1" : "0", Long.toString(this.settings.keepDead()),
						Long.toString(this.settings.keepDeadFor().toMillis()),
						Long.toString(this.settings.eventsMaxLength()),
						Long.toString(this.settings.dedupeWindow().toMillis())));
		return reported != null;
	}

	@Nullable Long fail(DefaultJobContext context, String error, long delayMillis) {
		String id = context.job().id();
		String trimmed = (error.length() > 1000) ? error.substring(0, 1000) : error;
		return finish("fail", () -> this.scripts.run(QueueScripts.FAIL,
				List.of(this.keys.job(this.queue, id), this.keys.active(this.queue), this.keys.delayed(this.queue),
						this.keys.dead(this.queue), this.keys.marker(this.queue)),
				this.keys.base(this.queue), id, context.lease(), trimmed.replace('\n', ' '), Long.toString(delayMillis),
				Long.toString(this.settings.keepDead()), Long.toString(this.settings.keepDeadFor().toMillis()),
				Long.toString(this.settings.eventsMaxLength()), Long.toString(this.settings.dedupeWindow().toMillis())));
	}

	/**
	 * Runs a finishing script, retrying through short Redis faults for up to one lease (the scripts check the
	 * token, so a retry of an applied call is a no-op). After that the job stays leased until its lease
	 * expires and an instance recovers it.
	 */
	<T> @Nullable T finish(String what, Supplier<@Nullable T> script) {
		long deadline = System.currentTimeMillis() + this.settings.lease().toMillis();
		Duration backoff = this.settings.reconnectInitial();
		while (true) {
			try {
				return script.get();
			}
			catch (RuntimeException ex) {
				if (this.container.aborted || System.currentTimeMillis() + backoff.toMillis() > deadline) {
					logger.warn("Job queue '" + this.queue + "' could not " + what + " a job (" + ex.getMessage()
							+ "); it is recovered after its lease expires");
					return null;
				}
				sleep(backoff);
				backoff = min(backoff.multipliedBy(2), this.settings.reconnectMax());
			}
		}
	}

	void release(DefaultJobContext context) {
		String id = context.job().id();
		try {
			this.scripts.run(QueueScripts.RELEASE,
					List.of(this.keys.job(this.queue, id), this.keys.active(this.queue), this.keys.waiting(this.queue),
							this.keys.marker(this.queue), this.keys.meta(this.queue)),
					id, context.lease());
		}
		catch (RuntimeException ex) {
			logger.debug("Job queue '" + this.queue + "' could not give back job " + id
					+ "; it is recovered after its lease expires", ex);
		}
	}

	void releaseInFlight() {
		for (DefaultJobContext context : new ArrayList<>(this.container.inFlight.values())) {
			release(context);
		}
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
