package io.redispatterns.stream.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of redis-patterns streams; every listener default can be overridden on
 * {@link io.redispatterns.stream.RedisStreamListener @RedisStreamListener}.
 */
@ConfigurationProperties("redis-patterns.stream")
public class StreamProperties {

	/**
	 * Whether stream listeners, the stream publisher and dead-letter support are enabled.
	 */
	private boolean enabled = true;

	/**
	 * Consumer name of this instance in every group. Defaults to "<host>-<pid>-<random>", unique per
	 * instance; set a stable name (such as a StatefulSet pod name) so a restarted instance resumes its own
	 * pending entries.
	 */
	private @Nullable String consumerName;

	/**
	 * Entries each listener handles at the same time in this instance.
	 */
	private int concurrency = 1;

	/**
	 * Most entries a listener reads with one XREADGROUP and acknowledges with one XACK. Fewer are read when
	 * handlers are slow, so that no read entry waits longer than a quarter of claim-idle.
	 */
	private int batchSize = 100;

	/**
	 * Deliveries after which a failing entry is moved to the dead-letter stream.
	 */
	private int maxDeliveries = 5;

	/**
	 * Idle time after which a live consumer takes over another consumer's pending entry (XAUTOCLAIM). Must
	 * exceed the slowest handler's run time.
	 */
	private Duration claimIdle = Duration.ofSeconds(30);

	/**
	 * How often each listener looks for entries to take over.
	 */
	private Duration claimInterval = Duration.ofSeconds(5);

	/**
	 * Longest time one XREADGROUP call blocks waiting for entries.
	 */
	private Duration block = Duration.ofSeconds(1);

	/**
	 * Where a consumer group created on start begins: "latest" (only new entries) or "earliest" (the whole
	 * stream).
	 */
	private StartFrom startFrom = StartFrom.LATEST;

	/**
	 * Longest time shutdown waits for in-flight handlers to finish and acknowledge.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	/**
	 * Approximate maximum length of every stream (XADD MAXLEN ~); 0 disables trimming.
	 */
	private long maxLength = 100_000;

	/**
	 * How long an idempotency key passed to the publisher is remembered.
	 */
	private Duration idempotencyWindow = Duration.ofMinutes(10);

	/**
	 * Whether a publish without an idempotency key is made replay-safe: a key generated per publish and kept for
	 * replay-window (a script and about 220 bytes per publish) makes a command the client re-sends after a lost
	 * reply append nothing. When off, a publish is one XADD and such a re-send appends a second entry with the
	 * same id header.
	 */
	private boolean replaySafePublish = false;

	/**
	 * How long the key generated for a replay-safe publish, and the token of a dead-letter replay, are kept so that
	 * a command the client re-sends after a lost reply has no effect; at least twice the command timeout is used;
	 * 0 turns the protection off.
	 */
	private Duration replayWindow = Duration.ofMinutes(2);

	/**
	 * Suffix of dead-letter streams ("<stream>:<suffix>", in the stream's hash slot).
	 */
	private String deadLetterSuffix = "dlq";

	/**
	 * Approximate maximum length of every dead-letter stream; 0 disables trimming.
	 */
	private long deadLetterMaxLength = 100_000;

	/**
	 * Per-stream settings, keyed by logical stream name.
	 */
	private Map<String, PerStream> perStream = new LinkedHashMap<>();

	/**
	 * Whether an entry whose "type" header names a class that does not fit the listener's declared
	 * payload type (not assignable to it when the class is known here, another simple name when it is
	 * not) is dead-lettered instead of handled.
	 */
	private boolean checkTypeHeader = true;

	/**
	 * Back-off between deliveries of a failing entry.
	 */
	private final Retry retry = new Retry();

	/**
	 * Back-off between reconnection attempts after a connection failure.
	 */
	private final Reconnect reconnect = new Reconnect();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getConsumerName() {
		return this.consumerName;
	}

	public void setConsumerName(@Nullable String consumerName) {
		this.consumerName = consumerName;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = concurrency;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	public int getMaxDeliveries() {
		return this.maxDeliveries;
	}

	public void setMaxDeliveries(int maxDeliveries) {
		this.maxDeliveries = maxDeliveries;
	}

	public Duration getClaimIdle() {
		return this.claimIdle;
	}

	public void setClaimIdle(Duration claimIdle) {
		this.claimIdle = claimIdle;
	}

	public Duration getClaimInterval() {
		return this.claimInterval;
	}

	public void setClaimInterval(Duration claimInterval) {
		this.claimInterval = claimInterval;
	}

	public Duration getBlock() {
		return this.block;
	}

	public void setBlock(Duration block) {
		this.block = block;
	}

	public StartFrom getStartFrom() {
		return this.startFrom;
	}

	public void setStartFrom(StartFrom startFrom) {
		this.startFrom = startFrom;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public long getMaxLength() {
		return this.maxLength;
	}

	public void setMaxLength(long maxLength) {
		this.maxLength = maxLength;
	}

	public Duration getIdempotencyWindow() {
		return this.idempotencyWindow;
	}

	public void setIdempotencyWindow(Duration idempotencyWindow) {
		this.idempotencyWindow = idempotencyWindow;
	}

	public boolean isReplaySafePublish() {
		return this.replaySafePublish;
	}

	public void setReplaySafePublish(boolean replaySafePublish) {
		this.replaySafePublish = replaySafePublish;
	}

	public Duration getReplayWindow() {
		return this.replayWindow;
	}

	public void setReplayWindow(Duration replayWindow) {
		this.replayWindow = replayWindow;
	}

	public String getDeadLetterSuffix() {
		return this.deadLetterSuffix;
	}

	public void setDeadLetterSuffix(String deadLetterSuffix) {
		this.deadLetterSuffix = deadLetterSuffix;
	}

	public long getDeadLetterMaxLength() {
		return this.deadLetterMaxLength;
	}

	public void setDeadLetterMaxLength(long deadLetterMaxLength) {
		this.deadLetterMaxLength = deadLetterMaxLength;
	}

	public Map<String, PerStream> getPerStream() {
		return this.perStream;
	}

	public void setPerStream(Map<String, PerStream> perStream) {
		this.perStream = perStream;
	}

	public boolean isCheckTypeHeader() {
		return this.checkTypeHeader;
	}

	public void setCheckTypeHeader(boolean checkTypeHeader) {
		this.checkTypeHeader = checkTypeHeader;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	/**
	 * Where a new consumer group starts reading.
	 */
	public enum StartFrom {

		/** Only entries added after the group is created ({@code $}). */
		LATEST,

		/** Every entry in the stream ({@code 0}). */
		EARLIEST

	}

	/**
	 * Settings of one stream.
	 */
	public static class PerStream {

		/**
		 * Approximate maximum length of this stream; overrides redis-patterns.stream.max-length.
		 */
		private @Nullable Long maxLength;

		public @Nullable Long getMaxLength() {
			return this.maxLength;
		}

		public void setMaxLength(@Nullable Long maxLength) {
			this.maxLength = maxLength;
		}

	}

	/**
	 * Retry back-off settings.
	 */
	public static class Retry {

		/**
		 * Back-off before the second delivery of a failing entry.
		 */
		private Duration initial = Duration.ofSeconds(1);

		/**
		 * Factor the back-off grows by with each further delivery.
		 */
		private double multiplier = 2.0;

		/**
		 * Longest back-off between deliveries; keep it below claim-idle, or other consumers take the entry over
		 * first.
		 */
		private Duration max = Duration.ofSeconds(10);

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = initial;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

	}

	/**
	 * Reconnection back-off settings.
	 */
	public static class Reconnect {

		/**
		 * Wait before the first reconnection attempt.
		 */
		private Duration initial = Duration.ofMillis(100);

		/**
		 * Longest wait between reconnection attempts, which bounds how long a listener takes to resume after Redis
		 * returns.
		 */
		private Duration max = Duration.ofSeconds(1);

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = initial;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

	}

}
