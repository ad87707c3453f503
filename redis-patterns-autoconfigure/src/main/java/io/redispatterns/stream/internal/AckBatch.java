package io.redispatterns.stream.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.lettuce.core.RedisFuture;
import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.core.RedisFailures;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Internal: the entries whose handler has returned, acknowledged together with one {@code XACK} of many ids.
 * <p>
 * At-least-once: an id is added only after its handler returned, and it stays pending in Redis until its
 * {@code XACK} was executed; a crash before that leaves it pending, so it is delivered again. Handlers hand their
 * ids over in chunks ({@link HandledIds}: one queue operation per chunk, not per entry). The poll loop sends the
 * queued ids before every read and whenever the oldest has waited {@link #MAX_DELAY}; while the loop waits in a
 * blocking read (no backlog), the handler that finishes sends them at once, so a live entry is not left pending
 * for a whole {@code block}.
 * <p>
 * With Lettuce's shared connection the {@code XACK} is sent without waiting for its reply, so that it travels
 * together with the next read instead of costing a round trip of its own; at most one is unanswered at a time,
 * and {@link #flush()} (pause, stop) waits for it. An {@code XACK} that fails puts its ids back for the next one
 * ({@code XACK} is idempotent); its reply updates the meters.
 */
final class AckBatch {

	private static final Log logger = LogFactory.getLog(AckBatch.class);

	/** Longest time a handled entry waits for its acknowledgement while the loop is busy. */
	static final Duration MAX_DELAY = Duration.ofMillis(100);

	private final RedisConnectionFactory connectionFactory;

	private final byte[] rawStreamKey;

	private final byte[] rawGroup;

	/** How long a flush waits for an {@code XACK}'s reply: the client's command timeout. */
	private final Duration timeout;

	/** Whether the {@code XACK} may be sent without waiting (Lettuce's shared connection, never closed by us). */
	private final boolean sendWithoutWaiting;

	private final ListenerSettings settings;

	private final StreamMetrics metrics;

	private final BooleanSupplier aborted;

	private final ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger size = new AtomicInteger();

	/** When the oldest queued id was added (nanoTime), 0 when empty. */
	private final AtomicLong oldest = new AtomicLong();

	private final RateLimitedLogger failureLog = new RateLimitedLogger(logger, Duration.ofSeconds(10));

	private final Object sendMonitor = new Object();

	/** The reply of the last {@code XACK} sent without waiting (guarded by {@link #sendMonitor}). */
	private @Nullable Future<?> unanswered;

	/** Set while the poll loop waits in a blocking read: a finishing handler then sends itself. */
	private volatile boolean loopIdle;

	AckBatch(RedisConnectionFactory connectionFactory, String streamKey, ListenerSettings settings,
			StreamMetrics metrics, BooleanSupplier aborted) {
		this.connectionFactory = connectionFactory;
		this.rawStreamKey = streamKey.getBytes(StandardCharsets.UTF_8);
		this.rawGroup = settings.group().getBytes(StandardCharsets.UTF_8);
		LettuceConnectionFactory lettuce = (EntryReads.Lettuce.PRESENT
				&& connectionFactory instanceof LettuceConnectionFactory factory) ? factory : null;
		this.timeout = (lettuce != null) ? lettuce.getClientConfiguration().getCommandTimeout() : Duration.ofMinutes(1);
		this.sendWithoutWaiting = lettuce != null && lettuce.getShareNativeConnection();
		this.settings = settings;
		this.metrics = metrics;
		this.aborted = aborted;
	}

	/** Queues the acknowledgement of one handled entry. */
	void add(String id, String outcome) {
		addAll(new String[] { id }, 1, StreamMetrics.SKIPPED.equals(outcome) ? 1 : 0);
	}

	/** Queues the first {@code count} ids of {@code ids} (the array is not copied: the caller lets go of it). */
	void addAll(String[] ids, int count, int skipped) {
		if (count == 0 || this.aborted.getAsBoolean()) {
			return;
		}
		this.oldest.compareAndSet(0, System.nanoTime());
		this.queue.add(new Chunk(ids, count, skipped));
		this.size.addAndGet(count);
		// read after the add: either the loop sees these ids before blocking, or this sees it idle
		if (this.loopIdle) {
			send();
		}
	}

	/** Marks the loop as about to block (then sends what is queued) or as busy again. */
	void loopIdle(boolean idle) {
		this.loopIdle = idle;
		if (idle) {
			send();
		}
	}

	int size() {
		return this.size.get();
	}

	/** Whether the queue is large or old enough to be sent while the loop is busy. */
	boolean due(int batchSize) {
		long since = this.oldest.get();
		return since != 0 && (this.size.get() >= batchSize || System.nanoTime() - since >= MAX_DELAY.toNanos());
	}

	/** Acknowledges every queued id with one {@code XACK} and waits for every reply; nothing after an abort. */
	void flush() {
		send(true);
	}

	/** Sends one {@code XACK} of every queued id, waiting only for an earlier one still unanswered. */
	void send() {
		send(false);
	}

	private void send(boolean wait) {
		if (this.aborted.getAsBoolean() || (!wait && this.queue.isEmpty())) {
			return;
		}
		synchronized (this.sendMonitor) {
			// at most one XACK unanswered: its ids are the ones a failure would put back
			Future<?> previous = this.unanswered;
			this.unanswered = null;
			if (previous != null) {
				await(previous);
			}
			Chunk taken = take();
			if (taken == null) {
				return;
			}
			Future<?> reply = acknowledge(taken);
			if (wait || !this.sendWithoutWaiting) {
				await(reply);
			}
			else {
				this.unanswered = reply;
			}
		}
	}

	/** Takes every queued id as one chunk ({@code null} when there is none). */
	private @Nullable Chunk take() {
		List<Chunk> chunks = new ArrayList<>();
		int count = 0;
		int skipped = 0;
		for (Chunk chunk; (chunk = this.queue.poll()) != null;) {
			chunks.add(chunk);
			count += chunk.count();
			skipped += chunk.skipped();
		}
		if (count == 0) {
			return null;
		}
		this.size.addAndGet(-count);
		if (this.queue.isEmpty()) {
			this.oldest.set(0);
		}
		if (chunks.size() == 1 && chunks.get(0).ids().length == count) {
			return chunks.get(0);
		}
		String[] ids = new String[count];
		int at = 0;
		for (Chunk chunk : chunks) {
			System.arraycopy(chunk.ids(), 0, ids, at, chunk.count());
			at += chunk.count();
		}
		return new Chunk(ids, count, skipped);
	}

	/**
	 * Sends one {@code XACK}. With Lettuce it goes straight to the native shared connection without waiting:
	 * Spring Data Redis would parse every id into a {@code RecordId} and format it back, and wait for the reply.
	 */
	private Future<?> acknowledge(Chunk chunk) {
		String[] ids = chunk.ids();
		RedisConnection connection;
		try {
			connection = this.connectionFactory.getConnection();
		}
		catch (RuntimeException ex) {
			answered(chunk, ex);
			return CompletableFuture.completedFuture(null);
		}
		try {
			if (this.sendWithoutWaiting && connection instanceof LettuceConnection lettuce) {
				RedisFuture<Long> reply = lettuce.getNativeConnection().xack(this.rawStreamKey, this.rawGroup, ids);
				reply.whenComplete((count, failure) -> answered(chunk, failure));
				return reply;
			}
			connection.streamCommands().xAck(this.rawStreamKey, this.settings.group(), ids);
			answered(chunk, null);
		}
		catch (RuntimeException ex) {
			answered(chunk, ex);
		}
		finally {
			connection.close();
		}
		return CompletableFuture.completedFuture(null);
	}

	/** The reply of an {@code XACK}: meters, or its ids put back for the next one. */
	private void answered(Chunk chunk, @Nullable Throwable failure) {
		if (failure == null) {
			this.metrics.messages(this.settings.stream(), this.settings.group(), StreamMetrics.ACKED,
					chunk.count() - chunk.skipped());
			this.metrics.messages(this.settings.stream(), this.settings.group(), StreamMetrics.SKIPPED,
					chunk.skipped());
			return;
		}
		if (this.aborted.getAsBoolean()) {
			return;
		}
		// they stay pending until the next XACK (and are delivered again after a crash)
		this.oldest.compareAndSet(0, System.nanoTime());
		this.queue.add(chunk);
		this.size.addAndGet(chunk.count());
		this.failureLog.warn("Stream listener on stream " + this.settings.stream() + ", group " + this.settings.group()
				+ " could not acknowledge " + chunk.count() + " entries (" + RedisFailures.rootMessage(failure)
				+ "); trying again with the next acknowledgement, they stay pending until then", null);
	}

	/** Waits for a reply; one that takes longer than the command timeout is cancelled (its ids are put back). */
	private void await(Future<?> reply) {
		try {
			reply.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			// answered() has put the ids back
		}
		catch (TimeoutException ex) {
			reply.cancel(false);
		}
	}

	/** Drops what is queued without acknowledging it (after an abort, or a group created again). */
	void discard() {
		this.queue.clear();
		this.size.set(0);
		this.oldest.set(0);
	}

	/** Ids of handled entries: the first {@code count} of {@code ids}, {@code skipped} of them replays skipped. */
	private record Chunk(String[] ids, int count, int skipped) {
	}

}
