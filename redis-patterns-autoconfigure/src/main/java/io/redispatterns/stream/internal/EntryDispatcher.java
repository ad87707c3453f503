package io.redispatterns.stream.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Internal: runs buffered entries through the {@link EntryHandler}. With {@code concurrency} 1 they run one after
 * the other on the poll loop's own thread (no hand-off); otherwise on worker threads, at most
 * {@code concurrency} at once (a semaphore of slots; each worker releases its slot when its entry is done).
 * Also decides how many entries the next read may return.
 */
final class EntryDispatcher {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	/** Below this average run time a handler gets a share of the batch per hand-off, not one entry. */
	private static final long FAST_HANDLER_NANOS = 50_000;

	/** Least handler time a share of a fast handler's batch is given (a share is one worker woken). */
	private static final long MIN_SHARE_NANOS = 200_000;

	private static final int CORES = Math.max(1, Runtime.getRuntime().availableProcessors());

	private final ListenerSettings settings;

	private final EntryHandler handler;

	private final RetrySchedule retries;

	private final AckBatch acks;

	private final StreamMetrics metrics;

	private final String description;

	private final Semaphore slots;

	/** Running shares of a fast handler: at most one per core. */
	private final Semaphore coreShares = new Semaphore(CORES);

	private final InFlightEntries inFlight = new InFlightEntries();

	/**
	 * Whether every entry read is checked against the entries in flight: set when the group was created again (its
	 * first reads deliver entries that may still be running), cleared once nothing is in flight. Otherwise only
	 * claimed and redelivered entries can be in flight already; an entry new to the group cannot. Poll loop only.
	 */
	private boolean checkEveryEntry;

	private volatile @Nullable ExecutorService workers;

	private volatile UnaryOperator<ExecutorService> workerDecorator = (executor) -> executor;

	EntryDispatcher(ListenerSettings settings, EntryHandler handler, RetrySchedule retries, AckBatch acks,
			StreamMetrics metrics, String description) {
		this.settings = settings;
		this.handler = handler;
		this.retries = retries;
		this.acks = acks;
		this.metrics = metrics;
		this.description = description;
		this.slots = new Semaphore(settings.concurrency());
	}

	/** Whether entries run on the poll loop's thread. */
	boolean inline() {
		return this.settings.concurrency() == 1;
	}

	void decorateWorkers(UnaryOperator<ExecutorService> decorator) {
		this.workerDecorator = decorator;
	}

	/** Creates the workers (none when entries run inline). */
	void start() {
		this.workers = inline() ? null : this.workerDecorator.apply(createWorkers());
	}

	@Nullable ExecutorService workers() {
		return this.workers;
	}

	int inFlight() {
		return this.inFlight.count();
	}

	Set<String> inFlightIds() {
		return new HashSet<>(this.inFlight.ids());
	}

	/** The group was created again: its next reads may return entries that are still running. */
	void groupRecreated() {
		this.checkEveryEntry = true;
	}

	int freeSlots() {
		return this.slots.availablePermits();
	}

	/**
	 * How many entries the next read may return: {@code batch-size}, fewer when the handler is slow, so that the
	 * last entry of a batch starts within about a quarter of {@code claim-idle} (an entry that waits longer could
	 * be taken over by another consumer before it starts).
	 */
	int readCount() {
		int batch = this.settings.batchSize();
		long average = this.handler.averageNanos();
		if (average <= 0) {
			return batch;
		}
		long fit = this.settings.claimIdle().toNanos() / 4 / average * this.settings.concurrency();
		return (int) Math.max(1, Math.min(batch, fit));
	}

	/**
	 * Runs or hands over buffered entries. Inline: all of them, unless {@code keepGoing} turns false (the rest
	 * stay pending). Workers: one task per free slot, waiting at most 200 ms for one; each task takes one entry,
	 * or, when the handler is faster than a hand-off between threads, its share of the buffer, run one after the
	 * other; shares of such a handler run at most one per CPU core at a time.
	 */
	void dispatch(EntryBuffer buffer, BooleanSupplier keepGoing) throws InterruptedException {
		if (this.checkEveryEntry && this.inFlight.isEmpty()) {
			this.checkEveryEntry = false;
		}
		if (inline()) {
			runInline(buffer, keepGoing);
			return;
		}
		int permits = acquireSlots();
		int used = 0;
		// a fast handler gains nothing from more threads than cores, only hand-offs and contention: its batch is
		// split in shares, and at most one share per core runs at a time (the other slots stay free)
		boolean fast = permits > 0 && fastHandler();
		int cores = 0;
		try {
			cores = fast ? acquireCores(Math.min(permits, sharesWorthAThread(buffer.size()))) : 0;
			int tasks = fast ? cores : permits;
			while (used < tasks && !buffer.isEmpty()) {
				int share = fast ? (buffer.size() + tasks - used - 1) / (tasks - used) : 1;
				List<StreamEntry> task = new ArrayList<>(share);
				while (task.size() < share && !buffer.isEmpty()) {
					StreamEntry entry = buffer.poll();
					if (entry != null && start(entry)) {
						task.add(entry);
					}
				}
				if (!task.isEmpty() && handOver(task, fast)) {
					used++;
				}
			}
		}
		finally {
			this.slots.release(permits - used);
			if (fast) {
				this.coreShares.release(cores - used);
			}
		}
	}

	/** Takes up to {@code wanted} core shares, waiting at most 200 ms for the first one. */
	private int acquireCores(int wanted) throws InterruptedException {
		if (!this.coreShares.tryAcquire(200, TimeUnit.MILLISECONDS)) {
			return 0;
		}
		int taken = 1;
		while (taken < wanted && this.coreShares.tryAcquire()) {
			taken++;
		}
		return taken;
	}

	/**
	 * How many shares a fast handler's {@code entries} are worth: one per {@link #MIN_SHARE_NANOS} of handler time,
	 * at least one, at most one per core. Waking a second worker for a share that runs for less than that costs more
	 * than it saves (a no-op handler's batch of 100 runs for a few tens of microseconds: one worker, one wake-up).
	 */
	private int sharesWorthAThread(int entries) {
		long work = entries * Math.max(1, this.handler.averageNanos());
		return (int) Math.max(1, Math.min(CORES, work / MIN_SHARE_NANOS));
	}

	/**
	 * Whether the next batch may be read before this one is handled: workers handle the batches (concurrency 1
	 * handles them on the reading thread, which sends its {@code XACK} and its read together: measured, reading
	 * ahead there cost more wake-ups of the client's I/O thread than it saved) and the handler is fast, so a batch
	 * waits a few milliseconds at most before it starts (far below {@code claim-idle}).
	 */
	boolean readAheadAllowed() {
		return !inline() && fastHandler();
	}

	/** Whether the handler's average run time is below the cost of waking a worker thread for each entry. */
	private boolean fastHandler() {
		long average = this.handler.averageNanos();
		return average > 0 && average < FAST_HANDLER_NANOS;
	}

	private void runInline(EntryBuffer buffer, BooleanSupplier keepGoing) {
		List<StreamEntry> entries = new ArrayList<>(buffer.size());
		while (!buffer.isEmpty()) {
			StreamEntry entry = buffer.poll();
			if (entry != null && start(entry)) {
				entries.add(entry);
			}
		}
		if (entries.isEmpty()) {
			return;
		}
		InFlightEntries.Share share = this.inFlight.begin(entries);
		HandledIds handled = new HandledIds(this.acks, this.settings.batchSize(), entries.size());
		try {
			// entries left when keepGoing turns false (a stop) stay pending for this consumer
			for (int i = 0; i < entries.size() && keepGoing.getAsBoolean(); i++) {
				try {
					this.handler.handle(entries.get(i), handled);
				}
				finally {
					share.finishedOne();
				}
				if (handled.handOverIfDue()) {
					this.acks.send();
				}
			}
		}
		finally {
			handled.handOver();
			this.inFlight.end(share);
		}
	}

	private int acquireSlots() throws InterruptedException {
		if (!this.slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
			return 0;
		}
		return 1 + this.slots.drainPermits();
	}

	/** Whether the entry may start; {@code false} when it is in flight already (claimed again while it runs). */
	private boolean start(StreamEntry entry) {
		boolean mayRun = !this.checkEveryEntry && !entry.claimed() && entry.attempt() <= 1;
		if (!mayRun && this.inFlight.contains(entry.id())) {
			return false;
		}
		if (entry.claimed()) {
			this.retries.remove(entry.id());
			this.metrics.message(this.settings.stream(), this.settings.group(), StreamMetrics.CLAIMED);
		}
		return true;
	}

	/**
	 * Hands entries to one worker, which handles them one after the other and then frees its slot. Never throws:
	 * entries the executor rejects stay pending for this consumer and are put in the retry set, so the caller
	 * releases exactly the slots no worker took.
	 */
	private boolean handOver(List<StreamEntry> entries, boolean coreShare) {
		InFlightEntries.Share share = this.inFlight.begin(entries);
		Runnable task = () -> {
			HandledIds handled = new HandledIds(this.acks, this.settings.batchSize(), entries.size());
			try {
				// an abort interrupts the worker: the rest of its entries stay pending, as after a crash
				for (int next = 0; next < entries.size()
						&& (next == 0 || !Thread.currentThread().isInterrupted()); next++) {
					try {
						this.handler.handle(entries.get(next), handled);
					}
					finally {
						share.finishedOne();
					}
					handled.handOverIfDue();
				}
			}
			finally {
				handled.handOver();
				this.inFlight.end(share);
				this.slots.release();
				if (coreShare) {
					this.coreShares.release();
				}
			}
		};
		ExecutorService executor = this.workers;
		try {
			if (executor == null) {
				throw new RejectedExecutionException("no workers");
			}
			executor.execute(task);
			return true;
		}
		catch (RuntimeException ex) {
			// rejected (the executor is shutting down): the entries are pending for this consumer, retry them
			this.inFlight.end(share);
			for (StreamEntry entry : entries) {
				this.retries.scheduleIfAbsent(entry.id(), System.currentTimeMillis());
			}
			logger.debug("Stream listener " + this.description + " could not hand " + entries.size()
					+ " entries to a worker; they are retried", ex);
			return false;
		}
	}

	private ExecutorService createWorkers() {
		String prefix = "stream-" + this.settings.stream() + "-" + this.settings.group() + "-worker-";
		if (this.settings.virtualThreads()) {
			// Java 21+: one virtual thread per entry (the slots semaphore bounds how many run at once)
			return Executors.newCachedThreadPool(new VirtualThreadTaskExecutor(prefix).getVirtualThreadFactory());
		}
		AtomicInteger counter = new AtomicInteger();
		ThreadFactory factory = (runnable) -> {
			Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		return Executors.newFixedThreadPool(this.settings.concurrency(), factory);
	}

}
