package io.redispatterns.ratelimit.internal;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitHeaderStyle;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes rate-limit response headers in the configured {@link RateLimitHeaderStyle}:
 * {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining}, {@code X-RateLimit-Reset} (seconds
 * until the quota resets) for the most restrictive limit, the IETF draft's
 * {@code RateLimit-Policy: "quotes";q=100;w=60} and {@code RateLimit: "quotes";r=0;t=12} for every
 * limit, and {@code Retry-After} (whole seconds, rounded up, at least 1) on refusals.
 */
final class RateLimitHeaders {

	private RateLimitHeaders() {
	}

	static void write(HttpServletResponse response, RateLimitDecision decision, RateLimitHeaderStyle style) {
		if (!decision.isAllowed()) {
			response.setHeader("Retry-After", Long.toString(retryAfterSeconds(decision)));
		}
		if (decision.outcome() != RateLimitDecision.Outcome.ALLOWED
				&& decision.outcome() != RateLimitDecision.Outcome.REJECTED) {
			return;
		}
		RateLimitDecision.Limit shown = decision.mostRestrictive();
		if (shown == null) {
			return;
		}
		if (style.xRateLimit()) {
			response.setHeader("X-RateLimit-Limit", Long.toString(shown.policy().limit()));
			response.setHeader("X-RateLimit-Remaining", Long.toString(shown.remaining()));
			response.setHeader("X-RateLimit-Reset", Long.toString(seconds(shown.reset(), 0)));
		}
		if (style.ietf()) {
			List<RateLimitDecision.Limit> limits = decision.limits();
			response.setHeader("RateLimit-Policy", limits.stream()
				.map((limit) -> quote(limit.policyName()) + ";q=" + limit.policy().limit() + ";w="
						+ limit.policy().windowSeconds())
				.collect(Collectors.joining(", ")));
			response.setHeader("RateLimit", limits.stream()
				.map((limit) -> quote(limit.policyName()) + ";r=" + limit.remaining() + ";t="
						+ seconds(limit.allowed() ? limit.reset() : limit.retryAfter(), 0))
				.collect(Collectors.joining(", ")));
		}
	}

	static long retryAfterSeconds(RateLimitDecision decision) {
		return seconds(decision.retryAfter(), 1);
	}

	static long seconds(Duration duration, long minimum) {
		long nanos = duration.toNanos();
		return Math.max(minimum, (nanos + 999_999_999L) / 1_000_000_000L);
	}

	/** An RFC 8941 sf-string. */
	static String quote(String value) {
		StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				quoted.append('\\');
			}
			quoted.append((c >= 0x20 && c < 0x7F) ? c : '?');
		}
		return quoted.append('"').toString();
	}

}
