package io.redispatterns.writebehind.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.writebehind.WriteBehindBatch;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Internal: flushes one buffer. Every {@code every} it takes batches until the buffer is empty, hands each
 * to the flush method under a lease renewed every third of its length, and acknowledges it after the
 * method returned. A failed batch stays in Redis and is flushed again after the retry delay (by any
 * instance) until its last attempt, then it is dead-lettered. On shutdown a running flush is awaited up
 * to the shutdown timeout, then interrupted, and its batch given back to be flushed again at once.
 */
public final class BufferFlusher {

	private static final Log logger = LogFactory.getLog(BufferFlusher.class);

	private final FlushBinding binding;

	private final RedisWriteBehinds buffers;

	private final ScheduledExecutorService scheduler;

	private final RateLimitedLogger redisErrors = new RateLimitedLogger(logger, Duration.ofSeconds(30));

	private final ReentrantLock flushing = new ReentrantLock();

	private volatile boolean running;

	private volatile @Nullable ScheduledFuture<?> next;

	private volatile @Nullable Thread flushThread;

	private volatile long backlog = -1;

	private volatile @Nullable String lastError;

	private volatile @Nullable Instant lastFlush;

	private volatile long flushedItems;

	BufferFlusher(FlushBinding binding, RedisWriteBehinds buffers, ScheduledExecutorService scheduler) {
		this.binding = binding;
		this.buffers = buffers;
		this.scheduler = scheduler;
		buffers.metrics().register(binding.buffer());
		buffers.metrics().backlogGauge(binding.buffer(), this, (flusher) -> flusher.backlog);
	}

	public String buffer() {
		return this.binding.buffer();
	}

	public FlushBinding binding() {
		return this.binding;
	}

	public boolean isRunning() {
		return this.running;
	}

	/** Keys pending plus in flight when last read (-1 before the first read). */
	public long lastBacklog() {
		return this.backlog;
	}

	public @Nullable String lastError() {
		return this.lastError;
	}

	public @Nullable Instant lastFlush() {
		return this.lastFlush;
	}

	public long flushedItems() {
		return this.flushedItems;
	}

	synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		schedule(Duration.ZERO);
	}

	private void schedule(Duration delay) {
		if (this.running) {
			this.next = this.scheduler.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void tick() {
		Duration delay = this.binding.every();
		this.flushing.lock();
		try {
			if (!this.running) {
				return;
			}
			this.flushThread = Thread.currentThread();
			delay = drain();
		}
		catch (Throwable ex) {
			this.lastError = ex.toString();
			this.redisErrors.warn("Flushing write-behind buffer '" + buffer() + "' failed; trying again", ex);
			delay = this.buffers.settings().retryDelay();
		}
		finally {
			this.flushThread = null;
			this.flushing.unlock();
			// the interrupt of a stop must not leak into the next task of the shared thread
			Thread.interrupted();
			schedule(delay);
		}
	}

	/** Flushes batches until the buffer is empty; returns the pause before the next tick. */
	private Duration drain() {
		while (this.running) {
			TakenBatch taken = this.buffers.take(buffer(), this.binding.maxBatch());
			if (taken == null) {
				refreshBacklog();
				return this.binding.every();
			}
			if (!flush(taken)) {
				refreshBacklog();
				return this.buffers.settings().retryDelay();
			}
		}
		return this.binding.every();
	}

	/** Flushes one batch; returns whether the next batch may follow at once. */
	private boolean flush(TakenBatch taken) {
		WriteBehindMetrics metrics = this.buffers.metrics();
		long lease = this.buffers.settings().lease().toMillis();
		ScheduledFuture<?> renewal = this.scheduler.scheduleAtFixedRate(() -> renew(taken), lease / 3, lease / 3,
				TimeUnit.MILLISECONDS);
		long start = System.nanoTime();
		Throwable failure = null;
		try {
			WriteBehindBatch<Object> batch = this.binding.method().batch(buffer(), taken, this.buffers.codec());
			this.binding.method().invoke(batch);
		}
		catch (Throwable ex) {
			failure = ex;
		}
		finally {
			renewal.cancel(false);
		}
		long nanos = System.nanoTime() - start;
		if (failure == null) {
			// acknowledged only now: a crash before this line flushes the same batch (same id) again
			this.buffers.ack(buffer(), taken);
			metrics.flush(buffer(), "success", taken.items().size(), nanos);
			this.flushedItems += taken.items().size();
			this.lastFlush = Instant.now();
			return true;
		}
		if (!this.running) {
			// stopped mid-flush: whether the method persisted the batch is unknown; give it back so that it is
			// flushed again (same id) at once, without counting the attempt
			this.buffers.release(buffer(), taken);
			logger.info("Write-behind buffer '" + buffer() + "': flush of batch " + taken.id()
					+ " interrupted by shutdown; the batch stays in Redis and is flushed again");
			return false;
		}
		String error = failure.getClass().getName() + ": " + failure.getMessage();
		this.lastError = error;
		long result = this.buffers.fail(buffer(), taken, error);
		if (result == 2) {
			metrics.flush(buffer(), "dead", taken.items().size(), nanos);
			logger.error("Write-behind buffer '" + buffer() + "': batch " + taken.id() + " (" + taken.items().size()
					+ " keys) failed its last attempt (" + taken.attempt() + ") and was dead-lettered", failure);
			return true;
		}
		metrics.flush(buffer(), "failure", taken.items().size(), nanos);
		logger.warn("Write-behind buffer '" + buffer() + "': flush of batch " + taken.id() + " (attempt "
				+ taken.attempt() + ") failed; it is flushed again after " + this.buffers.settings().retryDelay(),
				failure);
		return false;
	}

	private void renew(TakenBatch taken) {
		try {
			if (!this.buffers.extend(buffer(), taken)) {
				logger.warn("Write-behind buffer '" + buffer() + "': the lease of batch " + taken.id()
						+ " ran out while its flush method ran; another instance may flush it too");
			}
		}
		catch (RuntimeException ex) {
			this.redisErrors.warn("Write-behind buffer '" + buffer() + "': renewing the lease of batch "
					+ taken.id() + " failed", ex);
		}
	}

	private void refreshBacklog() {
		try {
			this.backlog = this.buffers.state(buffer()).backlog();
		}
		catch (RuntimeException ex) {
			this.backlog = -1;
		}
	}

	/**
	 * Stops: no further flush starts; a running one is awaited up to the shutdown timeout, then interrupted.
	 */
	void stop() {
		this.running = false;
		ScheduledFuture<?> scheduled = this.next;
		if (scheduled != null) {
			scheduled.cancel(false);
		}
		Duration timeout = this.buffers.settings().shutdownTimeout();
		try {
			if (this.flushing.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.flushing.unlock();
				return;
			}
			Thread thread = this.flushThread;
			if (thread != null) {
				logger.warn("Write-behind buffer '" + buffer() + "': flush still running after " + timeout
						+ "; interrupting it");
				thread.interrupt();
			}
			if (this.flushing.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.flushing.unlock();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
