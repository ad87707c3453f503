package io.redispatterns.writebehind.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.redispatterns.writebehind.WhenFull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of write-behind buffers ({@code redis-patterns.write-behind.*}).
 */
@ConfigurationProperties("redis-patterns.write-behind")
public class WriteBehindProperties {

	/**
	 * Whether write-behind buffers (WriteBehinds and @WriteBehindFlush methods) are enabled.
	 */
	private boolean enabled = true;

	/**
	 * Most keys a buffer holds, pending plus in flight; a write of a new key beyond it is refused or blocks (when-full). Writes to a pending key always coalesce.
	 */
	private long maxBacklog = 100_000;

	/**
	 * What a write to a full buffer does: reject (WriteBehindFullException at once) or block (retry until block-timeout, then the exception).
	 */
	private WhenFull whenFull = WhenFull.REJECT;

	/**
	 * Longest time a write waits for room in a full buffer with when-full=block.
	 */
	private Duration blockTimeout = Duration.ofSeconds(1);

	/**
	 * Flushes of a batch before it is dead-lettered with its last error.
	 */
	private int maxAttempts = 5;

	/**
	 * Pause before a batch whose flush failed is flushed again.
	 */
	private Duration retryDelay = Duration.ofSeconds(1);

	/**
	 * Lease of a batch being flushed: renewed every third of it while the flush method runs; when it runs out (the instance died) any instance flushes the batch again.
	 */
	private Duration lease = Duration.ofSeconds(30);

	/**
	 * How long the id of a write is remembered, so that a write Lettuce re-sends after a lost reply is applied once; at least twice the Redis command timeout is used.
	 */
	private Duration replayWindow = Duration.ofSeconds(10);

	/**
	 * Approximate length of each buffer's dead-letter stream.
	 */
	private long deadLetterMaxLength = 10_000;

	/**
	 * Longest time shutdown waits for a running flush method before interrupting it; its batch is then flushed again.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	/**
	 * Settings per buffer name, overriding the ones above.
	 */
	private final Map<String, Buffer> buffers = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public long getMaxBacklog() {
		return this.maxBacklog;
	}

	public void setMaxBacklog(long maxBacklog) {
		this.maxBacklog = maxBacklog;
	}

	public WhenFull getWhenFull() {
		return this.whenFull;
	}

	public void setWhenFull(WhenFull whenFull) {
		this.whenFull = whenFull;
	}

	public Duration getBlockTimeout() {
		return this.blockTimeout;
	}

	public void setBlockTimeout(Duration blockTimeout) {
		this.blockTimeout = blockTimeout;
	}

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(int maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	public Duration getRetryDelay() {
		return this.retryDelay;
	}

	public void setRetryDelay(Duration retryDelay) {
		this.retryDelay = retryDelay;
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		this.lease = lease;
	}

	public Duration getReplayWindow() {
		return this.replayWindow;
	}

	public void setReplayWindow(Duration replayWindow) {
		this.replayWindow = replayWindow;
	}

	public long getDeadLetterMaxLength() {
		return this.deadLetterMaxLength;
	}

	public void setDeadLetterMaxLength(long deadLetterMaxLength) {
		this.deadLetterMaxLength = deadLetterMaxLength;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Map<String, Buffer> getBuffers() {
		return this.buffers;
	}

	/**
	 * Settings of one buffer; unset values use the shared ones.
	 */
	public static class Buffer {

		/**
		 * Most keys this buffer holds, pending plus in flight.
		 */
		private @Nullable Long maxBacklog;

		/**
		 * What a write to this buffer does when it is full: reject or block.
		 */
		private @Nullable WhenFull whenFull;

		/**
		 * Longest time a write to this buffer waits for room with when-full=block.
		 */
		private @Nullable Duration blockTimeout;

		/**
		 * Flushes of a batch of this buffer before it is dead-lettered.
		 */
		private @Nullable Integer maxAttempts;

		public @Nullable Long getMaxBacklog() {
			return this.maxBacklog;
		}

		public void setMaxBacklog(@Nullable Long maxBacklog) {
			this.maxBacklog = maxBacklog;
		}

		public @Nullable WhenFull getWhenFull() {
			return this.whenFull;
		}

		public void setWhenFull(@Nullable WhenFull whenFull) {
			this.whenFull = whenFull;
		}

		public @Nullable Duration getBlockTimeout() {
			return this.blockTimeout;
		}

		public void setBlockTimeout(@Nullable Duration blockTimeout) {
			this.blockTimeout = blockTimeout;
		}

		public @Nullable Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(@Nullable Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

	}

}
