package io.redispatterns.stream.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.lettuce.core.RedisFuture;
import io.redispatterns.core.RateLimitedLogger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: the entries whose handler has returned, acknowledged together with one {@code XACK} of many ids.
 * <p>
 * At-least-once: an id is added only after its handler returned, and it stays pending in Redis until the flush;
 * a crash before the flush leaves it pending, so it is delivered again. The poll loop flushes before every read
 * and whenever the oldest id has waited {@link #MAX_DELAY}; while the loop waits in a blocking read (no backlog),
 * the handler that finishes flushes at once, so a live entry is not left pending for a whole {@code block}.
 * A flush that fails keeps its ids for the next one ({@code XACK} is idempotent).
 */
final class AckBatch {

	private static final Log logger = LogFactory.getLog(AckBatch.class);

	/** Longest time a handled entry waits for its acknowledgement while the loop is busy. */
	static final Duration MAX_DELAY = Duration.ofMillis(100);

	private final StringRedisTemplate redis;

	private final String streamKey;

	private final byte[] rawStreamKey;

	private final byte[] rawGroup;

	/** How long a native {@code XACK} waits for its reply: the client's command timeout. */
	private final Duration timeout;

	private final ListenerSettings settings;

	private final StreamMetrics metrics;

	private final BooleanSupplier aborted;

	private final ConcurrentLinkedQueue<Ack> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger size = new AtomicInteger();

	/** When the oldest queued id was added (nanoTime), 0 when empty. */
	private final AtomicLong oldest = new AtomicLong();

	private final RateLimitedLogger failureLog = new RateLimitedLogger(logger, Duration.ofSeconds(10));

	/** Set while the poll loop waits in a blocking read: a finishing handler then flushes itself. */
	private volatile boolean loopIdle;

	AckBatch(StringRedisTemplate redis, String streamKey, ListenerSettings settings, StreamMetrics metrics,
			BooleanSupplier aborted) {
		this.redis = redis;
		this.streamKey = streamKey;
		this.rawStreamKey = streamKey.getBytes(StandardCharsets.UTF_8);
		this.rawGroup = settings.group().getBytes(StandardCharsets.UTF_8);
		this.timeout = (redis.getConnectionFactory() instanceof LettuceConnectionFactory lettuce)
				? lettuce.getClientConfiguration().getCommandTimeout() : Duration.ofMinutes(1);
		this.settings = settings;
		this.metrics = metrics;
		this.aborted = aborted;
	}

	/** Queues the acknowledgement of a handled entry ({@code outcome}: acked or skipped). */
	void add(String id, String outcome) {
		this.oldest.compareAndSet(0, System.nanoTime());
		this.queue.add(new Ack(id, outcome));
		this.size.incrementAndGet();
		// read after the add: either the loop sees this id in its flush before blocking, or this sees it idle
		if (this.loopIdle) {
			flush();
		}
	}

	/**
	 * Marks the loop as about to block (then flushes what is queued) or as busy again.
	 */
	void loopIdle(boolean idle) {
		this.loopIdle = idle;
		if (idle) {
			flush();
		}
	}

	int size() {
		return this.size.get();
	}

	/** Whether the queue is large or old enough to be flushed while the loop is busy. */
	boolean due(int batchSize) {
		long since = this.oldest.get();
		return since != 0 && (this.size.get() >= batchSize || System.nanoTime() - since >= MAX_DELAY.toNanos());
	}

	/** Acknowledges every queued id with one {@code XACK}; nothing after an abort (as after a crash). */
	void flush() {
		if (this.aborted.getAsBoolean() || this.queue.isEmpty()) {
			return;
		}
		this.oldest.set(0);
		List<Ack> taken = new ArrayList<>(Math.max(4, this.size.get()));
		for (Ack ack; (ack = this.queue.poll()) != null;) {
			taken.add(ack);
		}
		if (taken.isEmpty()) {
			return;
		}
		this.size.addAndGet(-taken.size());
		String[] ids = new String[taken.size()];
		int skipped = 0;
		for (int i = 0; i < ids.length; i++) {
			ids[i] = taken.get(i).id();
			if (taken.get(i).outcome().equals(StreamMetrics.SKIPPED)) {
				skipped++;
			}
		}
		try {
			acknowledge(ids);
		}
		catch (RuntimeException ex) {
			// keep them for the next flush: they stay pending until then (and are delivered again after a crash)
			this.oldest.compareAndSet(0, System.nanoTime());
			this.queue.addAll(taken);
			this.size.addAndGet(taken.size());
			this.failureLog.warn("Stream listener on stream " + this.settings.stream() + ", group "
					+ this.settings.group() + " could not acknowledge " + ids.length + " entries (" + ex.getMessage()
					+ "); trying again with the next acknowledgement, they stay pending until then", null);
			return;
		}
		this.metrics.messages(this.settings.stream(), this.settings.group(), StreamMetrics.ACKED, ids.length - skipped);
		this.metrics.messages(this.settings.stream(), this.settings.group(), StreamMetrics.SKIPPED, skipped);
	}

	/**
	 * One {@code XACK}. With Lettuce it is sent straight on the native connection: Spring Data Redis would parse
	 * every id into a {@code RecordId} and format it back, a visible share of the per-entry cost of a backlog.
	 */
	private void acknowledge(String[] ids) {
		this.redis.execute((RedisCallback<Long>) (connection) -> {
			if (connection instanceof LettuceConnection lettuce && !lettuce.isPipelined() && !lettuce.isQueueing()) {
				return await(lettuce.getNativeConnection().xack(this.rawStreamKey, this.rawGroup, ids));
			}
			return connection.streamCommands().xAck(this.rawStreamKey, this.settings.group(), ids);
		});
	}

	private Long await(RedisFuture<Long> reply) {
		try {
			return reply.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisSystemException("Interrupted while acknowledging", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new RedisSystemException("XACK failed: " + cause.getMessage(), cause);
		}
		catch (TimeoutException ex) {
			reply.cancel(false);
			throw new QueryTimeoutException("XACK got no reply within " + this.timeout, ex);
		}
	}

	/** Drops what is queued without acknowledging it (after an abort, or a group created again). */
	void discard() {
		this.queue.clear();
		this.size.set(0);
		this.oldest.set(0);
	}

	private record Ack(String id, String outcome) {
	}

}
