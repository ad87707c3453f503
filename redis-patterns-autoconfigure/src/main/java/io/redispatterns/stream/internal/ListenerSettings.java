package io.redispatterns.stream.internal;

import java.time.Duration;

/**
 * Internal: the resolved settings of one listener container (annotation attributes over
 * {@code redis-patterns.stream.*}).
 *
 * @param stream logical stream name
 * @param group consumer group
 * @param consumer consumer name of this instance
 * @param concurrency handlers running at once
 * @param maxDeliveries deliveries before dead-lettering
 * @param claimIdle idle time after which pending entries of other consumers are taken over
 * @param claimInterval how often {@code XAUTOCLAIM} runs
 * @param retryInitial back-off before the second delivery
 * @param retryMultiplier growth of the back-off per delivery
 * @param retryMax longest back-off
 * @param block {@code XREADGROUP BLOCK} time
 * @param startFromEarliest whether a new group starts at {@code 0} rather than {@code $}
 * @param shutdownTimeout how long stop waits for in-flight handlers
 * @param reconnectInitial first wait after a connection failure
 * @param reconnectMax longest wait between reconnection attempts
 * @param deadLetterMaxLength approximate MAXLEN of the dead-letter stream (0 = none)
 * @param virtualThreads whether handlers run on virtual threads
 * @param checkTypeHeader whether an entry whose {@code type} header names a class that does not fit the
 * listener's declared payload type is dead-lettered instead of handled
 * @param batchSize most entries one {@code XREADGROUP} returns (and one {@code XACK} acknowledges)
 */
public record ListenerSettings(String stream, String group, String consumer, int concurrency, int maxDeliveries,
		Duration claimIdle, Duration claimInterval, Duration retryInitial, double retryMultiplier, Duration retryMax,
		Duration block, boolean startFromEarliest, Duration shutdownTimeout, Duration reconnectInitial,
		Duration reconnectMax, long deadLetterMaxLength, boolean virtualThreads, boolean checkTypeHeader,
		int batchSize) {

	Duration retryBackoff(int attempt) {
		double millis = this.retryInitial.toMillis() * Math.pow(this.retryMultiplier, Math.max(0, attempt - 1));
		return Duration.ofMillis((long) Math.min(millis, this.retryMax.toMillis()));
	}

}
