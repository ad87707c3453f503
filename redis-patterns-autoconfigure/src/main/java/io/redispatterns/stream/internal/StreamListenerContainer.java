package io.redispatterns.stream.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.redispatterns.core.ContainerLifecycle;
import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.LuaScriptRunner;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: runs one {@code @RedisStreamListener} for one consumer group: its lifecycle (start, pause, graceful
 * stop, abort) and what health shows. The work is split up:
 * <ul>
 * <li>{@link StreamPollLoop}: the reader thread with its dedicated connection; reads batches of up to
 * {@code batch-size} entries (retries due, idle entries taken over, new entries), reconnects, re-creates a
 * vanished group ({@link ConsumerGroupGuard});</li>
 * <li>{@link EntryDispatcher}: runs the batch on the reader thread (concurrency 1) or on up to
 * {@code concurrency} workers;</li>
 * <li>{@link EntryHandler}: decodes and calls the listener method;</li>
 * <li>{@link AckBatch}: acknowledges handled entries with one {@code XACK} per batch (at-least-once: only after
 * the handler returned);</li>
 * <li>{@link FailedEntries} and {@link RetrySchedule}: retries with back-off, dead letters.</li>
 * </ul>
 * {@link #stop()} stops reading, waits (bounded) for entries being handled and acknowledges them.
 */
public final class StreamListenerContainer {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private static final Duration STATS_MAX_AGE = Duration.ofSeconds(2);

	/** Lifecycle states reported in health and the endpoint. */
	public enum State {

		NEW, RUNNING, STOPPING, STOPPED, FAILED

	}

	private final ListenerSettings settings;

	private final StreamHandlerMethod handler;

	private final RedisConnectionFactory connectionFactory;

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final String streamKey;

	private final String deadLetterKey;

	private final ConsumerGroupGuard group;

	private final StreamEntryReader reader;

	private final RetrySchedule retries = new RetrySchedule();

	private final AckBatch acks;

	private final EntryDispatcher dispatcher;

	private final Object lifecycleMonitor = new Object();

	private volatile State state = State.NEW;

	private volatile boolean aborted;

	private volatile boolean connected;

	private volatile @Nullable String lastError;

	/** Set by {@link #pause()}, cleared by {@link #resume()}; the reader stops reading while it is set. */
	private volatile boolean pauseRequested;

	/** Whether the reader is about to read or reading (set before it checks for a pause request). */
	private volatile boolean readOutstanding;

	private final Object pauseMonitor = new Object();

	private volatile @Nullable Thread readerThread;

	private volatile @Nullable StreamPollLoop loop;

	private volatile long[] stats = { -1, -1 };

	private volatile long statsReadAt;

	public StreamListenerContainer(ListenerSettings settings, StreamHandlerMethod handler,
			RedisConnectionFactory connectionFactory, StringRedisTemplate redis, StreamKeys keys, JsonCodec codec,
			StreamMetrics metrics) {
		this.settings = settings;
		this.handler = handler;
		this.connectionFactory = connectionFactory;
		this.redis = redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.streamKey = keys.stream(settings.stream());
		this.deadLetterKey = keys.deadLetters(settings.stream());
		this.group = new ConsumerGroupGuard(redis, this.streamKey, settings, metrics);
		this.reader = new StreamEntryReader(redis, settings, this.streamKey, this.group);
		this.acks = new AckBatch(connectionFactory, this.streamKey, settings, metrics, () -> this.aborted);
		FailedEntries failures = new FailedEntries(redis, settings, this.streamKey, this.deadLetterKey, metrics,
				this.retries, describe());
		EntryHandler entryHandler = new EntryHandler(settings, handler, codec, metrics, failures,
				() -> this.aborted);
		this.dispatcher = new EntryDispatcher(settings, entryHandler, this.retries, this.acks, metrics, describe());
		metrics.register(settings.stream(), settings.group());
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

	/** Entries being handled (or handed to a worker) right now. */
	public int inFlight() {
		return this.dispatcher.inFlight();
	}

	/** Test seam: wraps the worker executor created on the next {@link #start()}. */
	void decorateWorkers(UnaryOperator<ExecutorService> decorator) {
		this.dispatcher.decorateWorkers(decorator);
	}

	/**
	 * Worker slots currently free (with the slots in use never more than {@code concurrency}; a worker holds one
	 * entry, or several when the handler is faster than a hand-off).
	 */
	int freeSlots() {
		return this.dispatcher.freeSlots();
	}

	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.state == State.RUNNING) {
				return;
			}
			this.aborted = false;
			this.dispatcher.start();
			this.state = State.RUNNING;
			StreamPollLoop poll = new StreamPollLoop(this, this.connectionFactory, this.reader, this.group,
					this.retries, this.dispatcher, this.acks);
			this.loop = poll;
			Thread thread = new Thread(poll, "stream-" + this.settings.stream() + "-" + this.settings.group());
			thread.setDaemon(true);
			this.readerThread = thread;
			thread.start();
		}
	}

	/** Whether the container is running (reading or reconnecting). */
	public boolean isRunning() {
		return this.state == State.RUNNING;
	}

	/**
	 * Stops reading (without closing the connection) once the batch in progress is handled; in-flight handlers
	 * finish and ack. Nothing is read, retried or claimed until {@link #resume()}.
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

	/**
	 * Whether the container runs, a pause is requested and the reader has no read outstanding (entries of the
	 * batch read before the pause may still be handled).
	 */
	public boolean isPaused() {
		return this.pauseRequested && !this.readOutstanding && this.state == State.RUNNING;
	}

	/**
	 * Stops gracefully: stops reading, waits up to the shutdown timeout for entries being handled, acknowledges
	 * them, then closes the connection. Entries read but not started stay pending for this consumer.
	 */
	public void stop() {
		Thread thread;
		ExecutorService executor;
		synchronized (this.lifecycleMonitor) {
			if (this.state != State.RUNNING && this.state != State.FAILED) {
				return;
			}
			this.state = State.STOPPING;
			thread = this.readerThread;
			executor = this.dispatcher.workers();
		}
		// with concurrency 1 the reader thread runs the handler itself
		Duration readerWait = this.settings.block().plusSeconds(5);
		if (this.dispatcher.inline()) {
			readerWait = readerWait.plus(this.settings.shutdownTimeout());
		}
		if (!ContainerLifecycle.join(thread, readerWait) && this.dispatcher.inline()) {
			logger.warn("Stream listener " + describe() + " did not finish its entry within "
					+ this.settings.shutdownTimeout() + "; it stays pending and will be claimed by another consumer");
		}
		if (executor != null) {
			awaitWorkers(executor);
		}
		this.acks.flush();
		StreamPollLoop poll = this.loop;
		if (poll != null) {
			poll.close();
		}
		// best effort and bounded: Redis may already be gone when the JVM shuts down
		Thread cleanup = new Thread(this::removeConsumerIfIdle, "stream-cleanup-" + this.settings.stream());
		cleanup.setDaemon(true);
		cleanup.start();
		ContainerLifecycle.join(cleanup, Duration.ofSeconds(2));
		this.state = State.STOPPED;
	}

	private void awaitWorkers(ExecutorService executor) {
		executor.shutdown();
		try {
			if (!executor.awaitTermination(this.settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("Stream listener " + describe() + " did not finish " + inFlight()
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

	/**
	 * Stops at once without the graceful path, as a crash would: nothing handled since the last acknowledgement
	 * and nothing in flight is acknowledged (those entries stay pending and are delivered again).
	 */
	public void abort() {
		synchronized (this.lifecycleMonitor) {
			this.aborted = true;
			this.state = State.STOPPED;
		}
		this.acks.discard();
		Thread thread = this.readerThread;
		StreamPollLoop poll = this.loop;
		if (poll != null) {
			poll.close();
		}
		ExecutorService executor = this.dispatcher.workers();
		if (executor != null) {
			executor.shutdownNow();
		}
		if (thread != null) {
			thread.interrupt();
		}
	}

	/** Whether the reader keeps reading (false once a stop or abort began). */
	boolean isReading() {
		return this.state == State.RUNNING;
	}

	/**
	 * Parks the reader while a pause is requested (bounded, so that a stop is seen soon).
	 * @return whether the reader is paused and must skip this pass
	 */
	boolean waitWhilePaused() throws InterruptedException {
		if (!this.pauseRequested) {
			return false;
		}
		synchronized (this.pauseMonitor) {
			if (this.pauseRequested && this.state == State.RUNNING) {
				this.pauseMonitor.wait(200);
			}
		}
		return true;
	}

	/** Set by the reader before it checks for a pause request and reads; cleared once the read returned. */
	void readOutstanding(boolean outstanding) {
		this.readOutstanding = outstanding;
	}

	void connected() {
		this.connected = true;
	}

	void disconnected() {
		this.connected = false;
	}

	void connectionLost(String failure) {
		this.connected = false;
		this.lastError = failure;
	}

	void failed(Throwable ex) {
		this.lastError = ex.toString();
		logger.error("Stream listener " + describe() + " stopped unexpectedly", ex);
		this.state = State.FAILED;
	}

	/** Pending count and lag of the group, read with XINFO GROUPS at most every two seconds. */
	public long[] groupStats() {
		long now = System.currentTimeMillis();
		if (now - this.statsReadAt > STATS_MAX_AGE.toMillis()) {
			this.statsReadAt = now;
			try {
				List<?> reply = this.scripts.run(StreamScripts.GROUP_STATS, List.of(this.streamKey),
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
		Consumer consumer = Consumer.from(this.settings.group(), this.settings.consumer());
		try {
			PendingMessages pending = this.redis.opsForStream()
				.pending(this.streamKey, consumer, Range.unbounded(), 1L);
			if (pending.isEmpty()) {
				this.redis.opsForStream().deleteConsumer(this.streamKey, consumer);
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not remove consumer " + this.settings.consumer() + " of " + describe(), ex);
		}
	}

	String describe() {
		return "'" + this.handler.description() + "' (stream " + this.settings.stream() + ", group "
				+ this.settings.group() + ", consumer " + this.settings.consumer() + ")";
	}

}
