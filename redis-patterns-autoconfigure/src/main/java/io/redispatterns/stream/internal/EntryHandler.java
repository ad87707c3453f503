package io.redispatterns.stream.internal;

import java.util.Map;
import java.util.function.BooleanSupplier;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.JsonCodecException;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.stream.StreamDelivery;
import io.redispatterns.stream.StreamHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Internal: handles one entry: skips a dead letter replayed for another group, dead-letters an entry delivered
 * too often, of the wrong type or that does not decode, else calls the listener method; on success the entry
 * is collected for the batched acknowledgement, on failure it goes to {@link FailedEntries}. Runs on a worker, or
 * on the poll loop's thread when concurrency is 1. Also keeps a moving average of the handler's run time,
 * which bounds how many entries the loop reads at once.
 */
final class EntryHandler {

	private final ListenerSettings settings;

	private final StreamHandlerMethod handler;

	private final JsonCodec codec;

	private final StreamMetrics metrics;

	private final FailedEntries failures;

	private final BooleanSupplier aborted;

	/** Exponentially weighted average run time of the handler in ns (approximate: racy updates are fine). */
	private volatile long averageNanos;

	EntryHandler(ListenerSettings settings, StreamHandlerMethod handler, JsonCodec codec, StreamMetrics metrics,
			FailedEntries failures, BooleanSupplier aborted) {
		this.settings = settings;
		this.handler = handler;
		this.codec = codec;
		this.metrics = metrics;
		this.failures = failures;
		this.aborted = aborted;
	}

	long averageNanos() {
		return this.averageNanos;
	}

	/** Handles one entry; an entry to acknowledge is added to {@code handled}. */
	void handle(StreamEntry entry, HandledIds handled) {
		String replayFor = entry.fields().get(StreamHeaders.REPLAY_FOR);
		if (replayFor != null && !replayFor.equals(this.settings.group())) {
			// a dead letter of another group moved back to the shared stream: this group handled it already
			handled.add(entry.id(), true);
			return;
		}
		Map<String, String> headers = new EntryHeaders(entry.fields());
		String json = entry.fields().get(StreamHeaders.PAYLOAD);
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
			deadLetter(entry, entry.attempt(), "Payload could not be decoded: " + RedisFailures.rootMessage(ex), ex);
			return;
		}
		StreamDelivery delivery = new StreamDelivery(this.settings.stream(), this.settings.group(), entry.id(),
				entry.attempt(), headers);
		long start = System.nanoTime();
		try {
			this.handler.invoke(payload, delivery);
		}
		catch (Throwable ex) {
			record(false, System.nanoTime() - start);
			if (!this.aborted.getAsBoolean()) {
				this.failures.handlerFailed(entry, ex);
			}
			return;
		}
		record(true, System.nanoTime() - start);
		if (!this.aborted.getAsBoolean()) {
			handled.add(entry.id(), false);
		}
	}

	private void deadLetter(StreamEntry entry, int attempts, String error, @Nullable Throwable cause) {
		if (!this.aborted.getAsBoolean()) {
			this.failures.deadLetter(entry, attempts, error, cause);
		}
	}

	private void record(boolean success, long nanos) {
		this.metrics.handled(this.settings.stream(), this.settings.group(), success, nanos);
		long average = this.averageNanos;
		this.averageNanos = (average == 0) ? nanos : average + (nanos - average) / 8;
	}

}
