package io.redispatterns.queue.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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

import io.micrometer.observation.ObservationRegistry;
import io.redispatterns.core.ContainerLifecycle;
import io.redispatterns.core.JsonCodec;
import io.redispatterns.queue.QueueDepths;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.internal.RateLimitAlgorithms;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: runs the {@code @RedisJobHandler} methods of one queue in this instance: its lifecycle and depth
 * gauges here, the work in {@link JobTakeLoop} (taking), {@link JobRunner} (running and completing),
 * {@link JobFailureRecorder} (retries, dead letters, giving jobs back), {@link LeaseKeeper} (lease renewal,
 * stalled-job recovery) and {@link RepeatTicker} (repeatable jobs).
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


	/** Lifecycle states reported in health and the endpoint. */
	public enum State {

		NEW, RUNNING, STOPPING, STOPPED, FAILED

	}

	final String queue;

	final Map<String, JobHandlerBinding> handlers;

	private final int concurrency;

	final int defaultMaxAttempts;

	final QueueSettings settings;

	/** The take script's rate-limit arguments (algorithm code, A, B, C), or {@code null} for no limit. */
	final String @Nullable [] rateArguments;

	final RedisConnectionFactory connectionFactory;

	final StringRedisTemplate redis;

	final QueueKeys keys;

	final JsonCodec codec;

	final QueueMetrics metrics;

	final @Nullable ApplicationEventPublisher events;

	final ScheduledExecutorService scheduler;

	final String worker;

	final Semaphore slots;

	final Map<String, DefaultJobContext> inFlight = new ConcurrentHashMap<>();

	final AtomicLong tokens = new AtomicLong();

	final JobObservations observations;

	private final Object lifecycleMonitor = new Object();

	/** Scheduled work of the running container (lease renewal, recovery, repeatable-job ticks), cancelled on stop. */
	final List<ScheduledFuture<?>> tasks = new ArrayList<>();

	volatile State state = State.NEW;

	volatile boolean aborted;

	volatile boolean connected;

	volatile @Nullable String lastError;

	private volatile @Nullable Thread reader;

	volatile @Nullable RedisConnection blockingConnection;

	volatile @Nullable ExecutorService workers;

	/** Local time (ms) of the next scheduled delayed-job wake-up, or 0. */
	final AtomicLong nextWake = new AtomicLong();

	private volatile @Nullable QueueDepths depths;

	/** {@link System#nanoTime()} of the last promotion of due delayed jobs by this instance. */
	volatile long lastDelayedCheck;

	private volatile long depthsReadAt;

	final JobRunner runner;

	final JobFailureRecorder failures;

	private final RepeatTicker ticks;

	final JobTakeLoop takeLoop;

	final LeaseKeeper leases;

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
		this.runner = new JobRunner(this);
		this.failures = new JobFailureRecorder(this);
		this.ticks = new RepeatTicker(this);
		this.takeLoop = new JobTakeLoop(this);
		this.leases = new LeaseKeeper(this);
		metrics.register(queue, byName.keySet());
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
			this.tasks.add(this.scheduler.scheduleWithFixedDelay(this.leases::renewLeases, renewEvery, renewEvery,
					TimeUnit.MILLISECONDS));
			long checkEvery = Math.max(50, this.settings.stalledCheckInterval().toMillis());
			this.tasks.add(this.scheduler.scheduleWithFixedDelay(this.leases::recoverStalled,
					ThreadLocalRandom.current().nextLong(checkEvery), checkEvery, TimeUnit.MILLISECONDS));
			// once at start too: it also sends takes to jobs an earlier version left in the waiting sorted set
			this.tasks.add(this.scheduler.schedule(this.leases::recoverStalled, 0, TimeUnit.MILLISECONDS));
			for (JobHandlerBinding binding : this.handlers.values()) {
				if (binding.schedule() != null) {
					this.ticks.schedule(binding.name(), binding.schedule());
				}
			}
			Thread thread = new Thread(this.takeLoop::readLoop, "queue-" + this.queue);
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
		Thread waker = new Thread(this.takeLoop::wakeReader, "queue-wake-" + this.queue);
		waker.setDaemon(true);
		waker.start();
		ContainerLifecycle.join(thread, this.settings.block().plusSeconds(2));
		if (executor != null) {
			executor.shutdown();
			try {
				if (!executor.awaitTermination(this.settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
					logger.warn("Job queue '" + this.queue + "': " + this.inFlight.size()
							+ " handlers did not finish within " + this.settings.shutdownTimeout()
							+ "; their jobs go back to waiting");
					this.failures.releaseInFlight();
					executor.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.failures.releaseInFlight();
				executor.shutdownNow();
			}
		}
		cancelTasks();
		this.takeLoop.stopWakeTimer();
		this.takeLoop.closeBlockingConnection();
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
		this.takeLoop.stopWakeTimer();
		Thread thread = this.reader;
		this.takeLoop.closeBlockingConnection();
		ExecutorService executor = this.workers;
		if (executor != null) {
			executor.shutdownNow();
		}
		if (thread != null) {
			thread.interrupt();
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

	static String text(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return String.valueOf(value);
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
