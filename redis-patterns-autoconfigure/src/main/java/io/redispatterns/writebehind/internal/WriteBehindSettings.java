package io.redispatterns.writebehind.internal;

import java.time.Duration;
import java.util.Map;

/**
 * Internal: the validated settings of all buffers.
 * @param lease how long an in-flight batch stays its flusher's without renewal
 * @param retryDelay pause before a failed batch is flushed again
 * @param replayWindow how long write operation ids are remembered
 * @param deadLetterMaxLength approximate length of each dead-letter stream
 * @param shutdownTimeout longest wait for a running flush on shutdown
 * @param defaults settings of buffers without their own
 * @param perBuffer settings by buffer name
 */
public record WriteBehindSettings(Duration lease, Duration retryDelay, Duration replayWindow, long deadLetterMaxLength,
		Duration shutdownTimeout, BufferSettings defaults, Map<String, BufferSettings> perBuffer) {

	public BufferSettings forBuffer(String buffer) {
		return this.perBuffer.getOrDefault(buffer, this.defaults);
	}

}
