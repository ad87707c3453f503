package io.redispatterns.stream.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Internal: the poll loop of one container, run by its reader thread, which holds one dedicated connection.
 * <p>
 * When the batch buffer is empty: acknowledge what was handled (one {@code XACK}, not waiting for its reply), then fill the buffer with
 * this consumer's failed entries whose back-off has passed ({@code XCLAIM} to itself), entries idle longer than
 * {@code claim-idle} ({@code XAUTOCLAIM}, every {@code claim-interval}), or else new entries
 * ({@code XREADGROUP ... COUNT <batch> BLOCK <block>}). Then run the buffer through the {@link EntryDispatcher}.
 * Connection failures close the connection and reconnect with back-off; the group is created again if it
 * vanished.
 */
final class StreamPollLoop implements Runnable {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private final StreamListenerContainer container;

	private final ListenerSettings settings;

	private final RedisConnectionFactory connectionFactory;

	private final StreamEntryReader reader;

	private final ConsumerGroupGuard group;

	private final RetrySchedule retries;

	private final EntryDispatcher dispatcher;

	private final AckBatch acks;

	private final EntryBuffer buffer = new EntryBuffer();

	private volatile @Nullable EntryReads connection;

	private long nextClaim;

	/** Whether the last read of new entries returned a full batch (more are likely waiting). */
	private boolean backlog;

	StreamPollLoop(StreamListenerContainer container, RedisConnectionFactory connectionFactory,
			StreamEntryReader reader, ConsumerGroupGuard group, RetrySchedule retries, EntryDispatcher dispatcher,
			AckBatch acks) {
		this.container = container;
		this.settings = container.settings();
		this.connectionFactory = connectionFactory;
		this.reader = reader;
		this.group = group;
		this.retries = retries;
		this.dispatcher = dispatcher;
		this.acks = acks;
	}

	@Override
	public void run() {
		Duration backoff = this.settings.reconnectInitial();
		boolean recovered = false;
		try {
			while (this.container.isReading()) {
				try {
					// a pause takes effect once the batch read before it has been handled; the flag is set before
					// the check so that isPaused() is never true while a read is about to start
					// a read sent ahead is taken (and its entries handled) before a pause takes effect
					if (this.buffer.isEmpty() && !hasAhead()) {
						if (this.container.waitWhilePaused()) {
							this.acks.flush();
							continue;
						}
						this.container.readOutstanding(true);
						if (this.container.isPauseRequested()) {
							this.container.readOutstanding(false);
							continue;
						}
					}
					EntryReads connection = connect();
					if (!recovered) {
						scheduleOwnPending();
						recovered = true;
					}
					if (this.buffer.isEmpty()) {
						fill(connection);
					}
					this.container.readOutstanding(connection.hasAhead());
					this.dispatcher.dispatch(this.buffer, this.container::isReading);
					if (this.acks.due(this.settings.batchSize())) {
						this.acks.send();
					}
					backoff = this.settings.reconnectInitial();
				}
				catch (Exception ex) {
					if (!this.container.isReading()) {
						break;
					}
					this.container.readOutstanding(false);
					String failure = Failures.failureText(ex);
					this.container.connectionLost(failure);
					logger.warn("Stream listener " + this.container.describe() + " lost its connection or failed to read ("
							+ failure + "); reconnecting in " + backoff.toMillis() + "ms");
					close();
					Failures.sleep(backoff);
					backoff = Failures.min(backoff.multipliedBy(2), this.settings.reconnectMax());
				}
			}
		}
		catch (Throwable ex) {
			this.container.failed(ex);
		}
		finally {
			// entries read but not started stay pending for this consumer
			this.buffer.clear();
		}
	}

	private EntryReads connect() {
		EntryReads connection = this.connection;
		if (connection == null) {
			connection = this.reader.open(this.connectionFactory);
			this.connection = connection;
			ensureGroup();
			this.container.connected();
		}
		return connection;
	}

	/**
	 * Creates the group if it does not exist; a vanished group is created again where nothing published since is
	 * skipped (see {@link ConsumerGroupGuard}), and the retries and buffered entries of its lost pending entries
	 * are dropped because the new group delivers those entries again.
	 */
	private void ensureGroup() {
		List<String> unfinished = new ArrayList<>(this.dispatcher.inFlightIds());
		unfinished.addAll(this.retries.ids());
		unfinished.addAll(this.buffer.ids());
		if (this.group.ensure(unfinished)) {
			this.retries.clear();
			this.buffer.clear();
			this.reader.resetClaimCursor();
			this.dispatcher.groupRecreated();
		}
	}

	/** After a restart with the same consumer name, this consumer's pending entries are delivered again. */
	private void scheduleOwnPending() {
		long now = System.currentTimeMillis();
		java.util.Set<String> inFlight = this.dispatcher.inFlightIds();
		for (String id : this.reader.ownPending()) {
			if (!inFlight.contains(id)) {
				this.retries.scheduleIfAbsent(id, now);
			}
		}
	}

	/**
	 * Fills the empty buffer. When a read returns a full batch (a backlog) and workers run a fast handler, the next read
	 * is sent at once, without waiting for its reply ({@link EntryReads#sendAhead}), and the next fill sends one
	 * more before it takes the oldest reply: Redis executes a read while the client decodes the previous reply and
	 * the handlers run. A read that returns less than a full batch ends this until the backlog builds up again.
	 */
	private void fill(EntryReads connection) {
		// sent without waiting for the reply: the XACK and the read below travel at the same time
		this.acks.send();
		int count = this.dispatcher.readCount();
		List<String> due = this.retries.takeDue(count);
		if (!due.isEmpty()) {
			this.buffer.addAll(this.reader.reclaim(due));
		}
		long now = System.currentTimeMillis();
		if (this.buffer.size() < count && now >= this.nextClaim) {
			this.nextClaim = now + this.settings.claimInterval().toMillis();
			this.buffer.addAll(this.reader.autoClaim(count - this.buffer.size()));
		}
		if (!this.buffer.isEmpty()) {
			return;
		}
		// handlers still running: look without blocking first, so their acknowledgements keep being batched (a
		// read sent ahead is such a look, its reply already on the way)
		boolean ahead = connection.hasAhead();
		if (ahead && this.backlog && mayReadAhead()) {
			// one more on its way before waiting for the oldest: Redis reads it while the client decodes that one
			connection.sendAhead(count);
		}
		List<StreamEntry> read = (this.dispatcher.inFlight() > 0 || ahead) ? this.reader.read(connection, count, null)
				: List.of();
		if (read.isEmpty()) {
			this.acks.loopIdle(true);
			try {
				read = this.reader.read(connection, count, readBlock());
			}
			finally {
				this.acks.loopIdle(false);
			}
		}
		this.buffer.addRead(read);
		this.backlog = read.size() >= count;
		if (this.backlog && !connection.hasAhead() && mayReadAhead()) {
			// a backlog and a fast handler: Redis reads the next batch while this one is handled
			connection.sendAhead(count);
		}
	}

	private boolean mayReadAhead() {
		return this.dispatcher.readAheadAllowed() && !this.container.isPauseRequested()
				&& this.container.isReading();
	}

	private boolean hasAhead() {
		EntryReads connection = this.connection;
		return connection != null && connection.hasAhead();
	}

	/**
	 * How long the next {@code XREADGROUP} may block. A retry is due {@code retry.initial} (or its back-off)
	 * after a failure, and a blocked read cannot be woken, so while a handler runs (it may fail and schedule a
	 * retry) or a retry is scheduled, the read blocks no longer than the retry back-off or the time until the
	 * earliest retry is due: the retry then follows its back-off, not the {@code block} time.
	 */
	private Duration readBlock() {
		Duration block = this.settings.block();
		if (this.dispatcher.inFlight() == 0 && this.retries.isEmpty()) {
			return block;
		}
		return Failures.min(block, this.retries.untilEarliest(this.settings.retryInitial()));
	}

	/** Closes the dedicated connection (a blocked read on it fails at once). */
	void close() {
		EntryReads connection = this.connection;
		this.connection = null;
		this.container.disconnected();
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Closing the read connection of " + this.container.describe() + " failed", ex);
			}
		}
	}

}
