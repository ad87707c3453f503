package io.redispatterns.queue.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.JsonCodecException;
import io.redispatterns.queue.Backoff;
import io.redispatterns.queue.JobCompletedEvent;
import io.redispatterns.queue.JobDeadEvent;
import io.redispatterns.queue.JobFailedEvent;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.QueueDepths;
import io.redispatterns.ratelimit.RateLimitAlgorithms;
import io.redispatterns.ratelimit.RateLimitPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: runs the {@code @RedisJobHandler} methods of one queue in this instance.
 * <p>
 * One reader thread holds one dedicated connection and loops: wait for a free worker slot, run the take script
 * (promote due delayed jobs and lease up to the free slots' worth of jobs, one round trip), hand the jobs to
 * workers; when nothing was taken, block on the queue's marker ({@code BZPOPMIN}), which enqueues, retries and
 * resumes set. A delayed job wakes the reader on a local timer at its due time (not on the server's timeout
 * tick). While a handler runs, its lease is renewed; when it returns the job is completed, and when it throws
 * it is retried after its back-off or dead-lettered — each by a script that checks the lease token, so a late
 * or re-sent call changes nothing. Every instance periodically moves jobs whose lease expired back to waiting
 * (stalled-job recovery). {@link #stop()} stops taking, waits (bounded) for running handlers, and gives back
 * jobs that did not finish.
 */
public final class JobWorkerContainer {

	private static final Log logger = LogFactory.getLog(JobWorkerContainer.class);

	private static final Duration DEPTHS_MAX_AGE = Duration.ofSeconds(2);

	private static final int RECOVERY_BATCH = 500;

	private static final long PROMOTE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	/** Lifecycle states reported in health and the endpoint. */
	public enum State {

		NEW, RUNNING, STOPPING, STOPPED, FAILED

	}

	private final String queue;

	private final Map<String, JobHandlerBinding> handlers;

	private final int concurrency;

	private final int defaultMaxAttempts;

	private final QueueSettings settings;

	/** The take script's rate-limit arguments (algorithm code, A, B, C), or {@code null} for no limit. */
	private final String @Nullable [] rateArguments;

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final QueueKeys keys;

	private final JsonCodec codec;

	private final QueueMetrics metrics;

	private final @Nullable ApplicationEventPublisher events;

	private final ScheduledExecutorService scheduler;

	private final String worker;

	private final Semaphore slots;

	private final Map<String, DefaultJobContext> inFlight = new ConcurrentHashMap<>();

	private final AtomicLong tokens = new AtomicLong();

	private final JobObservations observations;

	private final Object lifecycleMonitor = new Object();

	private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

	private volatile State state = State.NEW;

	private volatile boolean aborted;

	private volatile boolean connected;

	private volatile @Nullable String lastError;

	private volatile @Nullable Thread reader;

	private volatile @Nullable RedisConnection blockingConnection;

	private volatile @Nullable ExecutorService workers;

	/** Local time (ms) of the next scheduled delayed-job wake-up, or 0. */
	private final AtomicLong nextWake = new AtomicLong();

	private volatile @Nullable QueueDepths depths;

	/** {@link System#nanoTime()} of the last promotion of due delayed jobs by this instance. */
	private volatile long lastDelayedCheck;

	private volatile long depthsReadAt;

	public JobWorkerContainer(String queue, List<JobHandlerBinding> bindings, QueueSettings settings,
			RedisConnectionFactory connectionFactory, StringRedisTemplate redis, QueueKeys keys, JsonCodec codec,
			QueueMetrics metrics, @Nullable ApplicationEventPublisher events, ScheduledExecutorService scheduler,
			String instance) {
		this(queue, bindings, settings, connectionFactory, redis, keys, codec, metrics, events, scheduler, instance,
				ObservationRegistry.NOOP);
	}

	/**
	 * Creates a container whose handlers run in observations of the registry, continuing the trace carried in
	 * each job's headers.
	 */
	public JobWorkerContainer(String queue, List<JobHandlerBinding> bindings, QueueSettings settings,
			RedisConnectionFactory connectionFactory, StringRedisTemplate redis, QueueKeys keys, JsonCodec codec,
			QueueMetrics metrics, @Nullable ApplicationEventPublisher events, ScheduledExecutorService scheduler,
			String instance, ObservationRegistry observations) {
		this.observations = new JobObservations(observations);
		this.queue = queue;
		Map<String, JobHandlerBinding> byName = new ConcurrentHashMap<>();
		int concurrency = 1;
		int maxAttempts = 0;
		for (JobHandlerBinding binding : bindings) {
			byName.put(binding.name(), binding);
			concurrency = Math.max(concurrency, binding.concurrency());
			maxAttempts = Math.max(maxAttempts, binding.maxAttempts());
		}
		this.handlers = byName;
		this.concurrency = concurrency;
		this.defaultMaxAttempts = maxAttempts;
		this.settings = settings;
		RateLimitPolicy rateLimit = settings.rateLimits().get(queue);
		this.rateArguments = (rateLimit != null) ? java.util.Arrays.stream(RateLimitAlgorithms.scriptArguments(rateLimit))
			.mapToObj(Long::toString)
			.toArray(String[]::new) : null;
		this.connectionFactory = connectionFactory;
		this.redis = redis;
		this.keys = keys;
		this.codec = codec;
		this.metrics = metrics;
		this.events = events;
		this.scheduler = scheduler;
		this.worker = instance + "-" + UUID.randomUUID().toString().substring(0, 8);
		this.slots = new Semaphore(concurrency);
		for (String depth : List.of("waiting", "delayed", "active", "completed", "dead")) {
			metrics.depthGauge(queue, depth, this, (c) -> c.depth(depth));
		}
	}

	public String queue() {
		return this.queue;
	}

	public State state() {
		return this.state;
	}

	public boolean isConnected() {
		return this.connected;
	}

	public @Nullable String lastError() {
		return this.lastError;
	}

	public int concurrency() {
		return this.concurrency;
	}

	public int inFlight() {
		return this.inFlight.size();
	}

	public Map<String, String> handlerDescriptions() {
		Map<String, String> descriptions = new java.util.TreeMap<>();
		this.handlers.forEach((name, binding) -> descriptions.put(name, binding.handler().description()));
		return descriptions;
	}

	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.state == State.RUNNING) {
				return;
			}
			this.aborted = false;
			this.workers = createWorkers();
			this.state = State.RUNNING;
			long renewEvery = Math.max(50, this.settings.lease().toMillis() / 3);
			this.tasks.add(this.scheduler.scheduleWithFixedDelay(this::renewLeases, renewEvery, renewEvery,
					TimeUnit.MILLISECONDS));
			long checkEvery = Math.max(50, this.settings.stalledCheckInterval().toMillis());
			this.tasks.add(this.scheduler.scheduleWithFixedDelay(this::recoverStalled,
					ThreadLocalRandom.current().nextLong(checkEvery), checkEvery, TimeUnit.MILLISECONDS));
			for (JobHandlerBinding binding : this.handlers.values()) {
				if (binding.schedule() != null) {
					scheduleTick(binding.name(), binding.schedule());
				}
			}
			Thread thread = new Thread(this::readLoop, "queue-" + this.queue);
			thread.setDaemon(true);
			this.reader = thread;
			thread.start();
		}
	}

	public boolean isRunning() {
		return this.state == State.RUNNING;
	}

	/**
	 * Stops gracefully: stops taking jobs, waits up to the shutdown timeout for running handlers (which complete
	 * or fail their jobs as usual), then gives the jobs still running back to waiting and closes the connection.
	 */
	public void stop() {
		Thread thread;
		ExecutorService executor;
		synchronized (this.lifecycleMonitor) {
			if (this.state != State.RUNNING && this.state != State.FAILED) {
				return;
			}
			this.state = State.STOPPING;
			thread = this.reader;
			executor = this.workers;
		}
		// in the background: on JVM shutdown Redis may already be gone, and a command would wait for its timeout
		Thread waker = new Thread(this::wakeReader, "queue-wake-" + this.queue);
		waker.setDaemon(true);
		waker.start();
		join(thread, this.settings.block().plusSeconds(2));
		if (executor != null) {
			executor.shutdown();
			try {
				if (!executor.awaitTermination(this.settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
					logger.warn("Job queue '" + this.queue + "': " + this.inFlight.size()
							+ " handlers did not finish within " + this.settings.shutdownTimeout()
							+ "; their jobs go back to waiting");
					releaseInFlight();
					executor.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				releaseInFlight();
				executor.shutdownNow();
			}
		}
		cancelTasks();
		closeBlockingConnection();
		this.state = State.STOPPED;
	}

	/**
	 * Stops at once, as a crash would: nothing running is completed, failed or given back; those jobs are
	 * recovered by an instance after their lease expires.
	 */
	public void abort() {
		synchronized (this.lifecycleMonitor) {
			this.aborted = true;
			this.state = State.STOPPED;
		}
		cancelTasks();
		Thread thread = this.reader;
		closeBlockingConnection();
		ExecutorService executor = this.workers;
		if (executor != null) {
			executor.shutdownNow();
		}
		if (thread != null) {
			thread.interrupt();
		}
	}

	/**
	 * Schedules the next tick of a repeatable job; each tick schedules the one after it, counted from the tick
	 * (not from the moment it ran), so a late timer on a busy machine catches up instead of leaving ticks out.
	 */
	private void scheduleTick(String name, RepeatSchedule schedule) {
		scheduleTick(name, schedule, schedule.nextAfter(java.time.Instant.now()));
	}

	private void scheduleTick(String name, RepeatSchedule schedule, java.time.@Nullable Instant tick) {
		if (tick == null || this.state != State.RUNNING) {
			return;
		}
		long delay = Math.max(0, tick.toEpochMilli() - System.currentTimeMillis());
		try {
			ScheduledFuture<?> task = this.scheduler.schedule(() -> {
				enqueueTick(name, tick.toEpochMilli());
				scheduleTick(name, schedule, schedule.nextAfter(tick));
			}, delay, TimeUnit.MILLISECONDS);
			synchronized (this.tasks) {
				this.tasks.removeIf(ScheduledFuture::isDone);
				this.tasks.add(task);
			}
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// shutting down
		}
	}

	private void enqueueTick(String name, long tick) {
		if (this.state != State.RUNNING) {
			return;
		}
		try {
			this.redis.execute(QueueScripts.REPEAT,
					List.of(this.keys.waiting(this.queue), this.keys.marker(this.queue), this.keys.meta(this.queue)),
					this.keys.base(this.queue), name, Long.toString(tick), "null");
		}
		catch (RuntimeException ex) {
			logger.warn("Job queue '" + this.queue + "' could not enqueue the repeatable job '" + name + "' of "
					+ java.time.Instant.ofEpochMilli(tick) + " (" + ex.getMessage() + "); another instance may have");
		}
	}

	/** Ends a blocking wait early (it may wake another instance's worker instead, which is harmless). */
	private void wakeReader() {
		try {
			this.redis.opsForZSet().add(this.keys.marker(this.queue), "m", 0);
		}
		catch (RuntimeException ex) {
			logger.debug("Job queue '" + this.queue + "' could not wake its worker", ex);
		}
	}

	private void cancelTasks() {
		synchronized (this.tasks) {
			this.tasks.forEach((task) -> task.cancel(false));
			this.tasks.clear();
		}
	}

	private ExecutorService createWorkers() {
		AtomicInteger counter = new AtomicInteger();
		return Executors.newFixedThreadPool(this.concurrency, (runnable) -> {
			Thread thread = new Thread(runnable, "queue-" + this.queue + "-worker-" + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	private void readLoop() {
		Duration backoff = this.settings.reconnectInitial();
		// whether the queue counts this reader among the workers blocked on its marker (take.lua)
		boolean countedAsBlocked = false;
		try {
			while (this.state == State.RUNNING) {
				int permits = 0;
				int used = 0;
				try {
					permits = acquireSlots();
					if (permits == 0) {
						continue;
					}
					if (this.blockingConnection == null) {
						this.blockingConnection = this.connectionFactory.getConnection();
					}
					Take take = take(permits, !countedAsBlocked);
					this.connected = true;
					if (take.jobs().isEmpty()) {
						// the take counted this reader as blocked (or it still was): enqueues set the marker
						countedAsBlocked = true;
					}
					used = dispatchAll(take.jobs());
					this.slots.release(permits - used);
					permits = 0;
					if (used == 0 && this.state == State.RUNNING) {
						if (take.nextDueMillis() >= 0 && !take.paused()) {
							scheduleWake(take.nextDueMillis());
						}
						if (awaitMarker()) {
							// whoever set the marker may have taken this reader off the count
							countedAsBlocked = false;
						}
					}
					backoff = this.settings.reconnectInitial();
				}
				catch (Exception ex) {
					this.slots.release(permits - used);
					if (this.state != State.RUNNING) {
						break;
					}
					this.connected = false;
					countedAsBlocked = false;
					this.lastError = ex.getClass().getSimpleName() + ": " + ex.getMessage();
					logger.warn("Job queue '" + this.queue + "' could not take jobs (" + this.lastError
							+ "); retrying in " + backoff.toMillis() + "ms");
					closeBlockingConnection();
					sleep(backoff);
					backoff = min(backoff.multipliedBy(2), this.settings.reconnectMax());
				}
			}
		}
		catch (Throwable ex) {
			this.lastError = ex.toString();
			logger.error("Job queue '" + this.queue + "' worker stopped unexpectedly", ex);
			this.state = State.FAILED;
		}
	}

	private int acquireSlots() throws InterruptedException {
		if (!this.slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
			return 0;
		}
		return 1 + this.slots.drainPermits();
	}

	/**
	 * Blocks on the dedicated connection until a marker arrives or the block time passes.
	 * @return whether a marker arrived
	 */
	private boolean awaitMarker() {
		RedisConnection connection = this.blockingConnection;
		if (connection == null) {
			return false;
		}
		return connection.zSetCommands()
			.bZPopMin(this.keys.marker(this.queue).getBytes(StandardCharsets.UTF_8), this.settings.block().toMillis(),
					TimeUnit.MILLISECONDS) != null;
	}

	/**
	 * Wakes a blocked worker at a delayed job's due time by setting the marker from a local timer: the server
	 * checks blocking timeouts only on its periodic tick, which would start the job up to 100 ms late.
	 */
	private void scheduleWake(long dueInMillis) {
		if (dueInMillis > this.settings.block().toMillis() + 1000) {
			return;
		}
		long at = System.currentTimeMillis() + dueInMillis;
		long current = this.nextWake.get();
		if (current > System.currentTimeMillis() && current <= at) {
			return;
		}
		if (!this.nextWake.compareAndSet(current, at)) {
			return;
		}
		try {
			this.scheduler.schedule(() -> {
				this.nextWake.compareAndSet(at, 0);
				if (this.state == State.RUNNING) {
					wakeReader();
				}
			}, dueInMillis, TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			this.nextWake.compareAndSet(at, 0);
		}
	}

	private String nextToken() {
		return this.worker + ":" + this.tokens.incrementAndGet();
	}

	private Take take(int max, boolean announceBlocking) {
		String token = nextToken();
		List<Object> args = new ArrayList<>(8);
		args.add(this.keys.base(this.queue));
		args.add(Integer.toString(max));
		args.add(token);
		args.add(Long.toString(this.settings.lease().toMillis()));
		args.add(announceBlocking ? "1" : "0");
		if (this.rateArguments != null) {
			args.addAll(List.of(this.rateArguments));
		}
		this.lastDelayedCheck = System.nanoTime();
		List<?> reply = this.redis.execute((this.rateArguments != null) ? QueueScripts.TAKE_RATE_LIMITED : QueueScripts.TAKE,
				List.of(this.keys.waiting(this.queue), this.keys.delayed(this.queue), this.keys.active(this.queue),
						this.keys.marker(this.queue), this.keys.meta(this.queue), this.keys.take(this.queue, this.worker)),
				args.toArray());
		if (reply == null || reply.size() < 2) {
			throw new IllegalStateException("Unexpected reply of the take script: " + reply);
		}
		return new Take(leased(reply, 2, token), RedisJobQueues.number(reply.get(0)),
				RedisJobQueues.number(reply.get(1)) == 1);
	}

	/** The jobs of a take or complete reply, 9 fields each from {@code offset}, leased under {@code token}. */
	private List<DefaultJobContext> leased(List<?> reply, int offset, String token) {
		long leaseDeadline = System.currentTimeMillis() + this.settings.lease().toMillis();
		List<DefaultJobContext> jobs = new ArrayList<>();
		for (int i = offset; i + 8 < reply.size(); i += 9) {
			TakenJob job = new TakenJob(text(reply.get(i)), text(reply.get(i + 1)), text(reply.get(i + 2)),
					(int) RedisJobQueues.number(reply.get(i + 3)), Integer.parseInt(text(reply.get(i + 4))),
					text(reply.get(i + 5)), RedisJobQueues.number(reply.get(i + 6)), text(reply.get(i + 7)),
					text(reply.get(i + 8)));
			jobs.add(new DefaultJobContext(this.queue, job, token, maxAttempts(job), headers(job), this.redis,
					this.codec, this.keys.job(this.queue, job.id()), this.settings.logMaxLines(), leaseDeadline));
		}
		return jobs;
	}

	private int maxAttempts(TakenJob job) {
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
	private Map<String, String> headers(TakenJob job) {
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

	private int dispatchAll(List<DefaultJobContext> jobs) {
		int used = 0;
		for (DefaultJobContext context : jobs) {
			started(context);
			ExecutorService executor = this.workers;
			try {
				if (executor == null) {
					throw new java.util.concurrent.RejectedExecutionException("no workers");
				}
				executor.execute(() -> runFrom(context));
				used++;
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				// shutting down: give the job back without counting the attempt
				this.inFlight.remove(context.job().id());
				release(context);
			}
		}
		return used;
	}

	private void started(DefaultJobContext context) {
		this.inFlight.put(context.job().id(), context);
		this.metrics.waited(this.queue, context.job().waitedMillis());
	}

	/**
	 * Runs a job on a worker slot, then the jobs its completions leased next (one round trip per job while
	 * jobs are waiting, no hand-off to the reader thread); frees the slot when no next job came.
	 */
	private void runFrom(DefaultJobContext first) {
		DefaultJobContext context = first;
		try {
			while (context != null) {
				DefaultJobContext next;
				try {
					next = process(context);
				}
				finally {
					this.inFlight.remove(context.job().id());
				}
				if (next != null) {
					if (this.state != State.RUNNING || this.aborted) {
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
			this.slots.release();
		}
	}

	/** Runs one job; returns the next job its completion leased to this worker, if any. */
	private @Nullable DefaultJobContext process(DefaultJobContext context) {
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
			result = this.observations.process(this.queue, job.name(), context.headers(),
					() -> binding.handler().invoke(decoded, context));
		}
		catch (Throwable ex) {
			long nanos = System.nanoTime() - start;
			this.metrics.handled(this.queue, job.name(), false, nanos);
			if (this.aborted) {
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
		if (this.aborted) {
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
	private @Nullable DefaultJobContext complete(DefaultJobContext context, String json, long nanos) {
		TakenJob job = context.job();
		boolean takeNext = this.rateArguments == null && this.state == State.RUNNING;
		String nextToken = takeNext ? nextToken() : "";
		String promote = (takeNext && promoteDelayedNow()) ? "1" : "0";
		List<?> reply = finish("complete", () -> this.redis.execute(QueueScripts.COMPLETE,
				List.of(this.keys.job(this.queue, job.id()), this.keys.active(this.queue),
						this.keys.completed(this.queue), this.keys.waiting(this.queue), this.keys.delayed(this.queue),
						this.keys.meta(this.queue)),
				this.keys.base(this.queue), job.id(), context.token(), json,
				Long.toString(this.settings.keepCompleted()), Long.toString(this.settings.keepCompletedFor().toMillis()),
				Long.toString(this.settings.eventsMaxLength()), Long.toString(this.settings.dedupeWindow().toMillis()),
				nextToken, Long.toString(this.settings.lease().toMillis()), promote));
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
			scheduleWake(nextDue);
		}
		List<DefaultJobContext> next = leased(reply, 3, nextToken);
		return next.isEmpty() ? null : next.get(0);
	}

	/**
	 * Whether a completion should promote due delayed jobs too: at most every {@link #PROMOTE_EVERY_NANOS} (the
	 * reader's take always does, and a local timer wakes it at each known due time), so a backlog costs one
	 * delayed-set lookup per interval instead of one per job.
	 */
	private boolean promoteDelayedNow() {
		long now = System.nanoTime();
		if (now - this.lastDelayedCheck < PROMOTE_EVERY_NANOS) {
			return false;
		}
		this.lastDelayedCheck = now;
		return true;
	}

	private Backoff backoff(TakenJob job) {
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

	private void retry(DefaultJobContext context, String error, Duration delay, long nanos) {
		TakenJob job = context.job();
		Long outcome = fail(context, error, delay.toMillis());
		if (outcome != null && outcome == 2) {
			this.metrics.job(this.queue, QueueMetrics.RETRIED);
			publish(new JobFailedEvent(this.queue, JobId.of(job.id()), job.name(), job.attempt(), Duration.ofNanos(nanos),
					error, delay));
		}
	}

	private void dead(DefaultJobContext context, String error, long nanos) {
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
	private boolean reportToParent(TakenJob job, String outcome, String detail) {
		return reportToParent(job.id(), job.parent(), outcome, detail);
	}

	private boolean reportToParent(String childId, String parentReference, String outcome, String detail) {
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
				() -> this.redis.execute(QueueScripts.CHILD_DONE,
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

	private @Nullable Long fail(DefaultJobContext context, String error, long delayMillis) {
		String id = context.job().id();
		String trimmed = (error.length() > 1000) ? error.substring(0, 1000) : error;
		return finish("fail", () -> this.redis.execute(QueueScripts.FAIL,
				List.of(this.keys.job(this.queue, id), this.keys.active(this.queue), this.keys.delayed(this.queue),
						this.keys.dead(this.queue), this.keys.marker(this.queue)),
				this.keys.base(this.queue), id, context.token(), trimmed.replace('\n', ' '), Long.toString(delayMillis),
				Long.toString(this.settings.keepDead()), Long.toString(this.settings.keepDeadFor().toMillis()),
				Long.toString(this.settings.eventsMaxLength()), Long.toString(this.settings.dedupeWindow().toMillis())));
	}

	/**
	 * Runs a finishing script, retrying through short Redis faults for up to one lease (the scripts check the
	 * token, so a retry of an applied call is a no-op). After that the job stays leased until its lease
	 * expires and an instance recovers it.
	 */
	private <T> @Nullable T finish(String what, Supplier<@Nullable T> script) {
		long deadline = System.currentTimeMillis() + this.settings.lease().toMillis();
		Duration backoff = this.settings.reconnectInitial();
		while (true) {
			try {
				return script.get();
			}
			catch (RuntimeException ex) {
				if (this.aborted || System.currentTimeMillis() + backoff.toMillis() > deadline) {
					logger.warn("Job queue '" + this.queue + "' could not " + what + " a job (" + ex.getMessage()
							+ "); it is recovered after its lease expires");
					return null;
				}
				sleep(backoff);
				backoff = min(backoff.multipliedBy(2), this.settings.reconnectMax());
			}
		}
	}

	private void release(DefaultJobContext context) {
		String id = context.job().id();
		try {
			this.redis.execute(QueueScripts.RELEASE,
					List.of(this.keys.job(this.queue, id), this.keys.active(this.queue), this.keys.waiting(this.queue),
							this.keys.marker(this.queue), this.keys.meta(this.queue)),
					id, context.token());
		}
		catch (RuntimeException ex) {
			logger.debug("Job queue '" + this.queue + "' could not give back job " + id
					+ "; it is recovered after its lease expires", ex);
		}
	}

	private void releaseInFlight() {
		for (DefaultJobContext context : new ArrayList<>(this.inFlight.values())) {
			release(context);
		}
	}

	private void renewLeases() {
		List<DefaultJobContext> running = new ArrayList<>(this.inFlight.values());
		if (running.isEmpty() || this.aborted) {
			return;
		}
		List<String> args = new ArrayList<>(running.size() * 2 + 2);
		args.add(this.keys.base(this.queue));
		args.add(Long.toString(this.settings.lease().toMillis()));
		for (DefaultJobContext context : running) {
			args.add(context.job().id());
			args.add(context.token());
		}
		try {
			long deadline = System.currentTimeMillis() + this.settings.lease().toMillis();
			List<?> lost = this.redis.execute(QueueScripts.RENEW, List.of(this.keys.active(this.queue)),
					args.toArray());
			java.util.Set<String> lostIds = new java.util.HashSet<>();
			if (lost != null) {
				lost.forEach((id) -> lostIds.add(text(id)));
			}
			for (DefaultJobContext context : running) {
				if (lostIds.contains(context.job().id())) {
					context.lost();
				}
				else {
					context.renewed(deadline);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Job queue '" + this.queue + "' could not renew leases", ex);
		}
	}

	private void recoverStalled() {
		if (this.state != State.RUNNING) {
			return;
		}
		try {
			while (true) {
				List<?> reply = this.redis.execute(QueueScripts.RECOVER_STALLED,
						List.of(this.keys.active(this.queue), this.keys.waiting(this.queue), this.keys.dead(this.queue),
								this.keys.marker(this.queue), this.keys.meta(this.queue), this.keys.completed(this.queue)),
						this.keys.base(this.queue),
						Integer.toString((this.defaultMaxAttempts > 0) ? this.defaultMaxAttempts : this.settings.maxAttempts()),
						Integer.toString(RECOVERY_BATCH), Long.toString(this.settings.keepDead()),
						Long.toString(this.settings.keepDeadFor().toMillis()), Long.toString(this.settings.eventsMaxLength()),
						Long.toString(this.settings.dedupeWindow().toMillis()),
						Long.toString(this.settings.keepCompletedFor().toMillis()),
						Long.toString(this.settings.keepCompleted()));
				if (reply == null || reply.size() < 2) {
					return;
				}
				long requeued = RedisJobQueues.number(reply.get(0));
				long dead = RedisJobQueues.number(reply.get(1));
				for (int i = 2; i + 1 < reply.size(); i += 2) {
					// a flow child dead here never runs again: its parent hears of it now
					reportToParent(String.valueOf(reply.get(i)), String.valueOf(reply.get(i + 1)), "f",
							"lease expired on the last attempt: the worker stopped or stalled");
				}
				for (long i = 0; i < requeued + dead; i++) {
					this.metrics.job(this.queue, QueueMetrics.STALLED);
				}
				for (long i = 0; i < dead; i++) {
					this.metrics.job(this.queue, QueueMetrics.DEAD);
				}
				if (requeued + dead > 0) {
					logger.info("Job queue '" + this.queue + "': recovered " + (requeued + dead)
							+ " stalled job(s) whose lease expired (" + dead + " dead-lettered)");
				}
				if (requeued + dead < RECOVERY_BATCH) {
					return;
				}
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Job queue '" + this.queue + "' could not check for stalled jobs", ex);
		}
	}

	/** Depth of one state for the gauges, read at most every two seconds; -1 when unknown. */
	double depth(String state) {
		long now = System.currentTimeMillis();
		if (now - this.depthsReadAt > DEPTHS_MAX_AGE.toMillis()) {
			this.depthsReadAt = now;
			try {
				this.depths = new RedisJobQueues(this.redis, this.keys, this.codec, QueueMetrics.NONE).depths(this.queue);
			}
			catch (RuntimeException ex) {
				this.depths = null;
			}
		}
		QueueDepths current = this.depths;
		if (current == null) {
			return -1;
		}
		return switch (state) {
			case "waiting" -> current.waiting();
			case "delayed" -> current.delayed();
			case "active" -> current.active();
			case "completed" -> current.completed();
			default -> current.dead();
		};
	}

	private void publish(Object event) {
		if (this.events != null) {
			try {
				this.events.publishEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("A listener of " + event.getClass().getSimpleName() + " failed", ex);
			}
		}
	}

	private void closeBlockingConnection() {
		RedisConnection connection = this.blockingConnection;
		this.blockingConnection = null;
		this.connected = false;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Closing the blocking connection of queue '" + this.queue + "' failed", ex);
			}
		}
	}

	private static String text(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return String.valueOf(value);
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		if (message == null) {
			return root.getClass().getSimpleName();
		}
		int newline = message.indexOf('\n');
		return (newline > 0) ? message.substring(0, newline) : message;
	}

	private static void join(@Nullable Thread thread, Duration timeout) {
		if (thread == null || thread == Thread.currentThread()) {
			return;
		}
		try {
			thread.join(timeout.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private record Take(List<DefaultJobContext> jobs, long nextDueMillis, boolean paused) {
	}

}
