package io.redispatterns.stream.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.JsonCodecException;
import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.stream.StreamDelivery;
import io.redispatterns.stream.StreamHeaders;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: runs one {@code @RedisStreamListener} for one consumer group.
 * <p>
 * One reader thread holds one dedicated connection for its whole life and loops: re-deliver this consumer's
 * failed entries whose back-off has passed ({@code XCLAIM} to itself), take over entries idle longer than
 * {@code claim-idle} ({@code XAUTOCLAIM}), then {@code XREADGROUP ... COUNT <free slots> BLOCK <block>}. Each
 * entry runs on a worker (at most {@code concurrency} at once); it is acknowledged after the handler returns;
 * when the handler fails it stays pending and is delivered again after the back-off, and after
 * {@code max-deliveries} deliveries it is acknowledged and appended to the dead-letter stream by one script.
 * Connection failures (a Redis restart) close the connection and reconnect with back-off; the group is created
 * again if it vanished. {@link #stop()} stops reading, waits for in-flight handlers (bounded) and acks them.
 */
public final class StreamListenerContainer {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private static final Duration STATS_MAX_AGE = Duration.ofSeconds(2);

	private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

	/** Lifecycle states reported in health and the endpoint. */
	public enum State {

		NEW, RUNNING, STOPPING, STOPPED, FAILED

	}

	private final ListenerSettings settings;

	private final StreamHandlerMethod handler;

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final JsonCodec codec;

	private final StreamMetrics metrics;

	private final String streamKey;

	private final String deadLetterKey;

	private final Semaphore slots;

	/** Handler failures and dead letters are logged, but an outage or a poison stream writes few lines. */
	private final RateLimitedLogger failureLog = new RateLimitedLogger(logger, LOG_INTERVAL);

	private final RateLimitedLogger deadLetterLog = new RateLimitedLogger(logger, LOG_INTERVAL);

	private final ConsumerGroupGuard group;

	private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

	/** Entry id to the time (epoch ms) its retry is due. */
	private final ConcurrentSkipListMap<String, Long> retries = new ConcurrentSkipListMap<>();

	private final Object lifecycleMonitor = new Object();

	private volatile State state = State.NEW;

	private volatile boolean aborted;

	private volatile boolean connected;

	private volatile @Nullable String lastError;

	/** Set by {@link #pause()}, cleared by {@link #resume()}; the reader stops reading while it is set. */
	private volatile boolean pauseRequested;

	/** Whether the reader has seen the pause request and has no read outstanding. */
	private volatile boolean paused;

	private final Object pauseMonitor = new Object();

	private volatile @Nullable Thread reader;

	private volatile @Nullable RedisConnection readConnection;

	private volatile @Nullable ExecutorService workers;

	private final AtomicLong handled = new AtomicLong();

	private volatile java.util.function.UnaryOperator<ExecutorService> workerDecorator = (executor) -> executor;

	private volatile long[] stats = { -1, -1 };

	private volatile long statsReadAt;

	/** Where the next {@code XAUTOCLAIM} continues the group's pending-entries scan (reader thread only). */
	private String claimCursor = "0-0";

	public StreamListenerContainer(ListenerSettings settings, StreamHandlerMethod handler,
			RedisConnectionFactory connectionFactory, StringRedisTemplate redis, StreamKeys keys, JsonCodec codec,
			StreamMetrics metrics) {
		this.settings = settings;
		this.handler = handler;
		this.connectionFactory = connectionFactory;
		this.redis = redis;
		this.codec = codec;
		this.metrics = metrics;
		this.streamKey = keys.stream(settings.stream());
		this.deadLetterKey = keys.deadLetters(settings.stream());
		this.slots = new Semaphore(settings.concurrency());
		this.group = new ConsumerGroupGuard(redis, this.streamKey, settings, metrics);
		metrics.groupGauges(settings.stream(), settings.group(), this, (c) -> c.groupStats()[0],
				(c) -> c.groupStats()[1]);
	}

	public ListenerSettings settings() {
		return this.settings;
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

	public String handlerDescription() {
		return this.handler.description();
	}

	public String deadLetterKey() {
		return this.deadLetterKey;
	}

	public int inFlight() {
		return this.inFlight.size();
	}

	/** Test seam: wraps the worker executor created on the next {@link #start()}. */
	void decorateWorkers(java.util.function.UnaryOperator<ExecutorService> decorator) {
		this.workerDecorator = decorator;
	}

	/** Worker slots currently free (with {@link #inFlight()} never more than {@code concurrency}). */
	int freeSlots() {
		return this.slots.availablePermits();
	}

	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.state == State.RUNNING) {
				return;
			}
			this.aborted = false;
			this.workers = this.workerDecorator.apply(createWorkers());
			this.state = State.RUNNING;
			Thread thread = new Thread(this::readLoop, "stream-" + this.settings.stream() + "-" + this.settings.group());
			thread.setDaemon(true);
			this.reader = thread;
			thread.start();
		}
	}

	/** Whether the container is running (reading or reconnecting). */
	public boolean isRunning() {
		return this.state == State.RUNNING;
	}

	/**
	 * Stops reading (without closing the connection) once the read in progress returns; in-flight handlers finish
	 * and ack. Nothing is read, retried or claimed until {@link #resume()}.
	 */
	public void pause() {
		this.pauseRequested = true;
	}

	/** Reads again after {@link #pause()}. */
	public void resume() {
		synchronized (this.pauseMonitor) {
			this.pauseRequested = false;
			this.pauseMonitor.notifyAll();
		}
	}

	public boolean isPauseRequested() {
		return this.pauseRequested;
	}

	/** Whether the container runs, a pause is requested and the reader has no read outstanding. */
	public boolean isPaused() {
		return this.pauseRequested && this.paused && this.state == State.RUNNING;
	}

	/**
	 * Parks the reader while a pause is requested (bounded, so that a stop is seen soon).
	 * @return whether the reader is paused and must skip this pass
	 */
	private boolean waitWhilePaused() throws InterruptedException {
		if (!this.pauseRequested) {
			this.paused = false;
			return false;
		}
		this.paused = true;
		synchronized (this.pauseMonitor) {
			if (this.pauseRequested && this.state == State.RUNNING) {
				this.pauseMonitor.wait(200);
			}
		}
		return true;
	}

	/**
	 * Stops gracefully: stops reading, waits up to the shutdown timeout for in-flight handlers (which ack as
	 * they finish), then closes the connection.
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
		join(thread, this.settings.block().plusSeconds(5));
		if (executor != null) {
			executor.shutdown();
			try {
				if (!executor.awaitTermination(this.settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
					logger.warn("Stream listener " + describe() + " did not finish " + this.inFlight.size()
							+ " in-flight entries within " + this.settings.shutdownTimeout()
							+ "; they stay pending and will be claimed by another consumer");
					executor.shutdownNow();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				executor.shutdownNow();
			}
		}
		closeReadConnection();
		// best effort and bounded: Redis may already be gone when the JVM shuts down
		Thread cleanup = new Thread(this::removeConsumerIfIdle, "stream-cleanup-" + this.settings.stream());
		cleanup.setDaemon(true);
		cleanup.start();
		join(cleanup, Duration.ofSeconds(2));
		this.state = State.STOPPED;
	}

	/**
	 * Stops at once without the graceful path, as a crash would: nothing in flight is acknowledged (those
	 * entries stay pending and are claimed by other consumers after {@code claim-idle}).
	 */
	public void abort() {
		synchronized (this.lifecycleMonitor) {
			this.aborted = true;
			this.state = State.STOPPED;
		}
		Thread thread = this.reader;
		closeReadConnection();
		ExecutorService executor = this.workers;
		if (executor != null) {
			executor.shutdownNow();
		}
		if (thread != null) {
			thread.interrupt();
		}
	}

	private ExecutorService createWorkers() {
		String prefix = "stream-" + this.settings.stream() + "-" + this.settings.group() + "-worker-";
		if (this.settings.virtualThreads()) {
			// Java 21+: one virtual thread per entry (the slots semaphore bounds how many run at once)
			return Executors.newCachedThreadPool(
					new org.springframework.core.task.VirtualThreadTaskExecutor(prefix).getVirtualThreadFactory());
		}
		AtomicInteger counter = new AtomicInteger();
		ThreadFactory factory = (runnable) -> {
			Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		return Executors.newFixedThreadPool(this.settings.concurrency(), factory);
	}

	private void readLoop() {
		Duration backoff = this.settings.reconnectInitial();
		long nextClaim = 0;
		boolean recovered = false;
		try {
			while (this.state == State.RUNNING) {
				int permits = 0;
				// slots handed to workers in this pass: each worker releases its own slot when it finishes
				int used = 0;
				try {
					if (waitWhilePaused()) {
						continue;
					}
					if (this.readConnection == null) {
						this.readConnection = this.connectionFactory.getConnection();
						ensureGroup();
						this.connected = true;
					}
					if (!recovered) {
						scheduleOwnPending();
						recovered = true;
					}
					permits = acquireSlots();
					if (permits == 0) {
						continue;
					}
					List<String> due = dueRetries(permits);
					if (!due.isEmpty()) {
						used += dispatchAll(reclaim(due), permits - used, false);
					}
					long now = System.currentTimeMillis();
					if (used < permits && now >= nextClaim) {
						nextClaim = now + this.settings.claimInterval().toMillis();
						used += dispatchAll(autoClaim(permits - used), permits - used, true);
					}
					if (used == 0) {
						used += dispatchAll(read(permits), permits, false);
					}
					this.slots.release(permits - used);
					permits = 0;
					backoff = this.settings.reconnectInitial();
				}
				catch (Exception ex) {
					this.slots.release(permits - used);
					if (this.state != State.RUNNING) {
						break;
					}
					this.connected = false;
					this.lastError = failureText(ex);
					logger.warn("Stream listener " + describe() + " lost its connection or failed to read ("
							+ this.lastError + "); reconnecting in " + backoff.toMillis() + "ms");
					closeReadConnection();
					sleep(backoff);
					backoff = min(backoff.multipliedBy(2), this.settings.reconnectMax());
				}
			}
		}
		catch (Throwable ex) {
			this.lastError = ex.toString();
			logger.error("Stream listener " + describe() + " stopped unexpectedly", ex);
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
	 * Creates the group if it does not exist; a vanished group is created again where nothing published since is
	 * skipped (see {@link ConsumerGroupGuard}), and the retries of its lost pending entries are dropped because
	 * the new group delivers those entries again.
	 */
	private void ensureGroup() {
		List<String> unfinished = new ArrayList<>(this.inFlight);
		unfinished.addAll(this.retries.keySet());
		if (this.group.ensure(unfinished)) {
			this.retries.clear();
			this.claimCursor = "0-0";
		}
	}

	/** After a restart with the same consumer name, this consumer's pending entries are delivered again. */
	private void scheduleOwnPending() {
		PendingMessages pending = this.redis.opsForStream()
			.pending(this.streamKey, Consumer.from(this.settings.group(), this.settings.consumer()),
					Range.unbounded(), 10_000L);
		long now = System.currentTimeMillis();
		for (PendingMessage message : pending) {
			String id = message.getIdAsString();
			if (!this.inFlight.contains(id)) {
				this.retries.putIfAbsent(id, now);
			}
		}
	}

	private List<String> dueRetries(int max) {
		List<String> due = new ArrayList<>();
		long now = System.currentTimeMillis();
		for (Map.Entry<String, Long> retry : this.retries.entrySet()) {
			if (due.size() >= max) {
				break;
			}
			if (retry.getValue() <= now && this.retries.remove(retry.getKey(), retry.getValue())) {
				due.add(retry.getKey());
			}
		}
		return due;
	}

	private List<Entry> reclaim(List<String> ids) {
		List<String> args = new ArrayList<>();
		args.add(this.settings.group());
		args.add(this.settings.consumer());
		args.add("0");
		args.addAll(ids);
		return entries(this.redis.execute(StreamScripts.RECLAIM, List.of(this.streamKey), args.toArray()));
	}

	/**
	 * Claims idle entries, continuing the pending-entries scan where the previous call stopped: Redis examines
	 * at most ten times COUNT entries per call, so always starting at {@code 0-0} would never reach idle
	 * entries queued behind many entries of live consumers. The scan starts over when Redis returns
	 * {@code 0-0} (end of the pending list).
	 */
	private List<Entry> autoClaim(int count) {
		List<?> reply = this.redis.execute(StreamScripts.CLAIM, List.of(this.streamKey), this.settings.group(),
				this.settings.consumer(), Long.toString(this.settings.claimIdle().toMillis()), this.claimCursor,
				Integer.toString(count));
		if (reply != null && !reply.isEmpty() && reply.get(0) != null) {
			this.claimCursor = String.valueOf(reply.get(0));
		}
		return entries(reply);
	}

	@SuppressWarnings("unchecked")
	private static List<Entry> entries(@Nullable List<?> reply) {
		List<Entry> entries = new ArrayList<>();
		if (reply == null) {
			return entries;
		}
		for (int i = 1; i < reply.size(); i++) {
			List<Object> item = (List<Object>) reply.get(i);
			List<Object> raw = (List<Object>) item.get(2);
			Map<String, String> fields = new LinkedHashMap<>();
			for (int f = 0; f + 1 < raw.size(); f += 2) {
				fields.put(String.valueOf(raw.get(f)), String.valueOf(raw.get(f + 1)));
			}
			entries.add(new Entry(String.valueOf(item.get(0)), ((Number) item.get(1)).intValue(), fields));
		}
		return entries;
	}

	private List<Entry> read(int count) {
		RedisConnection connection = this.readConnection;
		if (connection == null) {
			return List.of();
		}
		List<ByteRecord> records = connection.streamCommands()
			.xReadGroup(Consumer.from(this.settings.group(), this.settings.consumer()),
					StreamReadOptions.empty().count(count).block(readBlock()),
					StreamOffset.create(this.streamKey.getBytes(java.nio.charset.StandardCharsets.UTF_8),
							ReadOffset.lastConsumed()));
		List<Entry> entries = new ArrayList<>();
		if (records == null) {
			return entries;
		}
		for (ByteRecord record : records) {
			Map<String, String> fields = new LinkedHashMap<>();
			record.getValue()
				.forEach((k, v) -> fields.put(new String(k, java.nio.charset.StandardCharsets.UTF_8),
						new String(v, java.nio.charset.StandardCharsets.UTF_8)));
			entries.add(new Entry(record.getId().getValue(), 1, fields));
			this.group.read(record.getId().getValue());
		}
		return entries;
	}

	/**
	 * How long the next {@code XREADGROUP} may block. A retry is due {@code retry.initial} (or its
	 * back-off) after a failure, and a blocked read cannot be woken, so while a handler runs (it may
	 * fail and schedule a retry) or a retry is scheduled, the read blocks no longer than the retry
	 * back-off or the time until the earliest retry is due: the retry then follows its back-off, not
	 * the {@code block} time.
	 */
	Duration readBlock() {
		Duration block = this.settings.block();
		if (this.inFlight.isEmpty() && this.retries.isEmpty()) {
			return block;
		}
		long cap = this.settings.retryInitial().toMillis();
		if (!this.retries.isEmpty()) {
			long now = System.currentTimeMillis();
			for (Long due : this.retries.values()) {
				cap = Math.min(cap, due - now);
			}
		}
		// BLOCK 0 would mean forever
		return min(block, Duration.ofMillis(Math.max(1, cap)));
	}

	/**
	 * Hands entries to workers, at most {@code available}. Never throws: an entry that could not be handed over
	 * (no free slot, or the executor rejected it) stays pending for this consumer and is put back in the retry
	 * set, so the caller releases exactly the slots no worker took.
	 * @return how many entries were handed to workers (each of them releases its slot when it finishes)
	 */
	private int dispatchAll(List<Entry> entries, int available, boolean claimed) {
		int used = 0;
		for (Entry entry : entries) {
			if (used >= available) {
				// more than the free slots (cannot happen with COUNT sized to them): retry soon
				this.retries.putIfAbsent(entry.id(), System.currentTimeMillis());
				continue;
			}
			if (!this.inFlight.add(entry.id())) {
				continue;
			}
			if (claimed) {
				this.retries.remove(entry.id());
			}
			Runnable task = () -> {
				try {
					process(entry);
				}
				finally {
					this.inFlight.remove(entry.id());
					this.slots.release();
				}
			};
			ExecutorService executor = this.workers;
			try {
				if (executor == null) {
					throw new java.util.concurrent.RejectedExecutionException("no workers");
				}
				executor.execute(task);
			}
			catch (RuntimeException ex) {
				// rejected (the executor is shutting down): the entry is pending for this consumer, retry it
				this.inFlight.remove(entry.id());
				this.retries.putIfAbsent(entry.id(), System.currentTimeMillis());
				logger.debug("Stream listener " + describe() + " could not hand entry " + entry.id()
						+ " to a worker; it is retried", ex);
				continue;
			}
			used++;
			if (claimed) {
				this.metrics.message(this.settings.stream(), this.settings.group(), StreamMetrics.CLAIMED);
			}
		}
		return used;
	}

	private void process(Entry entry) {
		String replayFor = entry.fields().get(StreamHeaders.REPLAY_FOR);
		if (replayFor != null && !replayFor.equals(this.settings.group())) {
			// a dead letter of another group moved back to the shared stream: this group handled it already
			ack(entry, StreamMetrics.SKIPPED);
			return;
		}
		Map<String, String> headers = new LinkedHashMap<>(entry.fields());
		String json = headers.remove(StreamHeaders.PAYLOAD);
		if (entry.attempt() > this.settings.maxDeliveries()) {
			deadLetter(entry, entry.attempt() - 1, "Delivered " + (entry.attempt() - 1)
					+ " times without success (max-deliveries " + this.settings.maxDeliveries() + ")", null);
			return;
		}
		if (this.settings.checkTypeHeader()) {
			String mismatch = this.handler.typeMismatch(headers.get(StreamHeaders.TYPE));
			if (mismatch != null) {
				deadLetter(entry, entry.attempt(), mismatch, null);
				return;
			}
		}
		Object payload;
		try {
			payload = this.handler.decode(json, this.codec);
		}
		catch (JsonCodecException ex) {
			deadLetter(entry, entry.attempt(), "Payload could not be decoded: " + rootMessage(ex), ex);
			return;
		}
		StreamDelivery delivery = new StreamDelivery(this.settings.stream(), this.settings.group(), entry.id(),
				entry.attempt(), java.util.Collections.unmodifiableMap(headers));
		long start = System.nanoTime();
		try {
			this.handler.invoke(payload, delivery);
		}
		catch (Throwable ex) {
			this.metrics.handled(this.settings.stream(), this.settings.group(), false, System.nanoTime() - start);
			if (this.aborted) {
				return;
			}
			this.metrics.message(this.settings.stream(), this.settings.group(), StreamMetrics.FAILED);
			if (entry.attempt() >= this.settings.maxDeliveries()) {
				deadLetter(entry, entry.attempt(), ex.getClass().getName() + ": " + ex.getMessage(), ex);
			}
			else {
				Duration backoff = this.settings.retryBackoff(entry.attempt());
				this.failureLog.warn("Stream listener " + describe() + " failed on entry " + entry.id() + " (attempt "
						+ entry.attempt() + " of " + this.settings.maxDeliveries() + "); retrying in "
						+ backoff.toMillis() + "ms", ex);
				this.retries.put(entry.id(), System.currentTimeMillis() + backoff.toMillis());
			}
			return;
		}
		this.metrics.handled(this.settings.stream(), this.settings.group(), true, System.nanoTime() - start);
		if (this.aborted) {
			return;
		}
		ack(entry, StreamMetrics.ACKED);
	}

	private void ack(Entry entry, String outcome) {
		for (int attempt = 1;; attempt++) {
			try {
				this.redis.opsForStream().acknowledge(this.streamKey, this.settings.group(), entry.id());
				if (outcome.equals(StreamMetrics.ACKED)) {
					this.handled.incrementAndGet();
				}
				this.metrics.message(this.settings.stream(), this.settings.group(), outcome);
				return;
			}
			catch (RuntimeException ex) {
				if (attempt >= 3 || this.aborted) {
					logger.warn("Stream listener " + describe() + " could not acknowledge entry " + entry.id()
							+ " (" + ex.getMessage() + "); it stays pending and will be delivered again");
					return;
				}
				sleep(this.settings.reconnectInitial());
			}
		}
	}

	private void deadLetter(Entry entry, int attempts, String error, @Nullable Throwable cause) {
		if (this.aborted) {
			return;
		}
		this.deadLetterLog.warn("Stream listener " + describe() + " dead-letters entry " + entry.id() + " after attempt "
				+ attempts + " to " + this.deadLetterKey + ": " + error, cause);
		List<String> args = new ArrayList<>();
		args.add(this.settings.group());
		args.add(entry.id());
		args.add(Long.toString(this.settings.deadLetterMaxLength()));
		entry.fields().forEach((name, value) -> {
			if (!name.startsWith(StreamHeaders.DEAD_LETTER_PREFIX)) {
				args.add(name);
				args.add(value);
			}
		});
		args.add(DefaultStreamDeadLetters.ORIGINAL_ID);
		args.add(entry.id());
		args.add(DefaultStreamDeadLetters.GROUP);
		args.add(this.settings.group());
		args.add(DefaultStreamDeadLetters.ERROR);
		args.add(error.length() > 2000 ? error.substring(0, 2000) : error);
		args.add(DefaultStreamDeadLetters.ATTEMPTS);
		args.add(Integer.toString(attempts));
		args.add(DefaultStreamDeadLetters.CONSUMER);
		args.add(this.settings.consumer());
		args.add(DefaultStreamDeadLetters.AT);
		args.add(Instant.now().toString());
		try {
			Long moved = this.redis.execute(StreamScripts.DEAD_LETTER, List.of(this.streamKey, this.deadLetterKey),
					args.toArray());
			if (moved != null && moved == 1) {
				this.metrics.message(this.settings.stream(), this.settings.group(), StreamMetrics.DEAD_LETTERED);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Stream listener " + describe() + " could not dead-letter entry " + entry.id() + " ("
					+ ex.getMessage() + "); it stays pending and will be delivered again");
		}
	}

	/** Pending count and lag of the group, read with XINFO GROUPS at most every two seconds. */
	public long[] groupStats() {
		long now = System.currentTimeMillis();
		if (now - this.statsReadAt > STATS_MAX_AGE.toMillis()) {
			this.statsReadAt = now;
			try {
				List<?> reply = this.redis.execute(StreamScripts.GROUP_STATS, List.of(this.streamKey),
						this.settings.group());
				if (reply != null && reply.size() == 2) {
					this.stats = new long[] { ((Number) reply.get(0)).longValue(),
							((Number) reply.get(1)).longValue() };
				}
			}
			catch (RuntimeException ex) {
				this.stats = new long[] { -1, -1 };
			}
		}
		return this.stats;
	}

	private void removeConsumerIfIdle() {
		try {
			PendingMessages pending = this.redis.opsForStream()
				.pending(this.streamKey, Consumer.from(this.settings.group(), this.settings.consumer()),
						Range.unbounded(), 1L);
			if (pending.isEmpty()) {
				this.redis.opsForStream()
					.deleteConsumer(this.streamKey, Consumer.from(this.settings.group(), this.settings.consumer()));
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not remove consumer " + this.settings.consumer() + " of " + describe(), ex);
		}
	}

	private void closeReadConnection() {
		RedisConnection connection = this.readConnection;
		this.readConnection = null;
		this.connected = false;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Closing the read connection of " + describe() + " failed", ex);
			}
		}
	}

	private String describe() {
		return "'" + this.handler.description() + "' (stream " + this.settings.stream() + ", group "
				+ this.settings.group() + ", consumer " + this.settings.consumer() + ")";
	}

	/** What went wrong, without class names (it is shown in health output). */
	private static String failureText(Throwable ex) {
		return switch (RedisFailures.classify(ex)) {
			case UNAVAILABLE -> "Redis unavailable: " + rootMessage(ex);
			case OUTCOME_UNKNOWN -> "No reply from Redis: " + rootMessage(ex);
			case NOT_REDIS -> rootMessage(ex);
		};
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

	private record Entry(String id, int attempt, Map<String, String> fields) {
	}

}
