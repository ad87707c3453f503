package io.redispatterns.ratelimit.internal;

import java.net.URI;

import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitExceededException;
import io.redispatterns.ratelimit.RateLimitHeaderStyle;
import io.redispatterns.ratelimit.RateLimiterUnavailableException;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Renders rate-limit refusals as RFC 9457 {@code application/problem+json}: 429 with
 * {@code policy}, {@code limit}, {@code retry-after} (seconds) and {@code violated-policies}, or
 * 503 when Redis is down and a policy is {@code fail-closed}; with {@code Retry-After} and the
 * configured rate-limit headers. Ordered last, so an application's own {@code @ExceptionHandler}
 * (in a controller or a higher-precedence advice) takes over. Registered by the
 * auto-configuration.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class RateLimitExceptionHandler {

	private final RateLimitHeaderStyle headerStyle;

	/**
	 * Creates the handler.
	 * @param headerStyle which rate-limit headers to write
	 */
	public RateLimitExceptionHandler(RateLimitHeaderStyle headerStyle) {
		this.headerStyle = headerStyle;
	}

	/**
	 * Renders a 429.
	 * @param ex the refusal
	 * @param response the response, for the headers
	 * @return the problem
	 */
	@ExceptionHandler(RateLimitExceededException.class)
	public ResponseEntity<ProblemDetail> tooManyRequests(RateLimitExceededException ex, HttpServletResponse response) {
		RateLimitDecision decision = ex.getDecision();
		RateLimitHeaders.write(response, decision, this.headerStyle);
		long retryAfter = RateLimitHeaders.retryAfterSeconds(decision);
		RateLimitDecision.Limit shown = decision.mostRestrictive();
		String policy = (shown != null) ? shown.policyName() : "";
		RateLimitDecision.Refusal refusal = (shown != null) ? shown.refusal() : RateLimitDecision.Refusal.LIMIT_REACHED;
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
				detail(refusal, policy, (shown != null) ? shown.policy().key() : "", retryAfter));
		problem.setType(URI.create("https://redis-patterns.io/problems/rate-limit-exceeded"));
		problem.setTitle("Too Many Requests");
		problem.setProperty("policy", policy);
		problem.setProperty("limit", (shown != null) ? shown.policy().limit() : 0);
		problem.setProperty("retry-after", retryAfter);
		problem.setProperty("violated-policies", decision.violatedPolicies());
		problem.setProperty("reason", refusal.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body(problem);
	}

	private static String detail(RateLimitDecision.Refusal refusal, String policy, String key, long retryAfter) {
		return switch (refusal) {
			case KEY_MISSING -> "The request has no rate-limit key for policy '" + policy + "' (key: " + key
					+ ") and the policy refuses requests without one (missing-key: deny).";
			case COST_EXCEEDS_LIMIT -> "The request costs more than the whole limit of policy '" + policy
					+ "'; it can never be admitted.";
			case LIMIT_REACHED -> "Rate limit of policy '" + policy + "' exceeded; retry after " + retryAfter + " s.";
		};
	}

	/**
	 * Renders a 503 for a {@code fail-closed} policy while Redis cannot decide.
	 * @param ex the failure
	 * @param response the response, for {@code Retry-After}
	 * @return the problem
	 */
	@ExceptionHandler(RateLimiterUnavailableException.class)
	public ResponseEntity<ProblemDetail> unavailable(RateLimiterUnavailableException ex, HttpServletResponse response) {
		RateLimitDecision decision = ex.getDecision();
		RateLimitHeaders.write(response, decision, this.headerStyle);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"Rate limiting is unavailable and the policy fails closed; retry later.");
		problem.setType(URI.create("https://redis-patterns.io/problems/rate-limiter-unavailable"));
		problem.setTitle("Service Unavailable");
		problem.setProperty("policy", decision.limits().isEmpty() ? "" : decision.limits().get(0).policyName());
		problem.setProperty("retry-after", RateLimitHeaders.retryAfterSeconds(decision));
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
	}

}
