package io.redispatterns.writebehind;

import org.jspecify.annotations.Nullable;

/**
 * The state of a write-behind buffer.
 * @param buffer the buffer's name
 * @param pending keys waiting for a batch
 * @param inFlight keys of the batch being flushed (or waiting for its retry)
 * @param batchId the in-flight batch's id, or {@code null}
 * @param attempts how often the in-flight batch was handed out
 * @param lastError the in-flight batch's last flush error, or {@code null}
 * @param dead dead-lettered batches kept
 */
public record BufferState(String buffer, long pending, long inFlight, @Nullable String batchId, int attempts,
		@Nullable String lastError, long dead) {

	/**
	 * Returns the keys waiting to be persisted.
	 * @return pending plus in flight
	 */
	public long backlog() {
		return this.pending + this.inFlight;
	}

}
