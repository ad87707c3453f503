package io.redispatterns.ratelimit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.ratelimit.FailureMode;
import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitMetrics;
import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * The decision when Redis could not decide (circuit open, timeout, error): each policy's
 * {@link FailureMode} applies (one fail-closed policy rejects the whole decision), the failure is
 * counted and logged at most once per interval.
 */
final class FallbackDecisions {

	private final RateLimitMetrics metrics;

	private final RateLimitedLogger failureLog;

	FallbackDecisions(RateLimitMetrics metrics, Log logger) {
		this.metrics = metrics;
		this.failureLog = new RateLimitedLogger(logger, Duration.ofSeconds(10));
	}

	/**
	 * Answers without Redis.
	 * @param charges the limits of the decision
	 * @param reason why Redis could not decide ({@code circuit-open}, {@code timeout}, {@code error})
	 * @param ex the failure, if any
	 * @return a {@code DEGRADED} (fail-open) or {@code UNAVAILABLE} (fail-closed) decision
	 */
	RateLimitDecision decide(List<Charge> charges, String reason, @Nullable Throwable ex) {
		this.metrics.failure(reason);
		boolean failClosed = charges.stream().anyMatch((c) -> c.policy().failureMode() == FailureMode.FAIL_CLOSED);
		List<String> names = charges.stream().map((c) -> c.policy().name()).distinct().toList();
		String message = "Rate limiter could not decide for policies " + names + " (" + reason + "); "
				+ (failClosed ? "rejecting (fail-closed)" : "allowing (fail-open)");
		if (ex != null) {
			message += ": " + ex;
		}
		this.failureLog.warn(message, null);
		List<RateLimitDecision.Limit> limits = new ArrayList<>();
		for (Charge charge : charges) {
			limits.add(new RateLimitDecision.Limit(charge.policy(), !failClosed, charge.policy().limit(), Duration.ZERO,
					failClosed ? Duration.ofSeconds(1) : Duration.ZERO));
		}
		return new RateLimitDecision(
				failClosed ? RateLimitDecision.Outcome.UNAVAILABLE : RateLimitDecision.Outcome.DEGRADED, limits);
	}

}
