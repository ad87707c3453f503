package io.redispatterns.console.internal;

import java.util.List;
import java.util.Map;

import io.redispatterns.console.ConsoleMetrics;
import io.redispatterns.console.ConsolePage;
import io.redispatterns.console.ConsoleRequestException;
import io.redispatterns.console.ConsoleSection;
import io.redispatterns.console.Html;
import io.redispatterns.core.RedisCircuitBreaker;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.ratelimit.internal.RedisRateLimiter;

/**
 * The rate-limits page: each policy's limits, recent allowed and rejected decisions (from the
 * {@code redis.patterns.ratelimit.decisions} counter) and its circuit breaker. Read-only.
 */
public final class RateLimitsSection implements ConsoleSection {

	private final RateLimiter rateLimiter;

	private final ConsoleMetrics metrics;

	/**
	 * Creates the section.
	 * @param rateLimiter the rate limiter
	 * @param metrics decision counts
	 */
	public RateLimitsSection(RateLimiter rateLimiter, ConsoleMetrics metrics) {
		this.rateLimiter = rateLimiter;
		this.metrics = metrics;
	}

	@Override
	public String id() {
		return "rate-limits";
	}

	@Override
	public String title() {
		return "Rate limits";
	}

	@Override
	public int order() {
		return 40;
	}

	@Override
	public void render(ConsolePage page) {
		if (!page.path().isEmpty()) {
			throw new ConsoleRequestException(404, "No such rate-limit page");
		}
		Html html = page.heading("Rate limits");
		Map<String, RedisCircuitBreaker.State> breakers = (this.rateLimiter instanceof RedisRateLimiter redis)
				? redis.circuitBreakerStates() : Map.of();
		Map<List<String>, ConsoleMetrics.Counts> decisions = this.metrics
			.counts("redis.patterns.ratelimit.decisions", "policy", "result");
		String recent = "last " + Html.millis(this.metrics.window().toMillis());
		html.table("Policies", "Policy", "Algorithm", "Limit", "Key", "On Redis failure", "Breaker",
				"Allowed (" + recent + ")", "Rejected (" + recent + ")", "Allowed (total)", "Rejected (total)");
		for (RateLimitPolicy policy : this.rateLimiter.policies()) {
			ConsoleMetrics.Counts allowed = decisions.getOrDefault(List.of(policy.name(), "allowed"),
					new ConsoleMetrics.Counts(0, 0));
			ConsoleMetrics.Counts rejected = decisions.getOrDefault(List.of(policy.name(), "rejected"),
					new ConsoleMetrics.Counts(0, 0));
			RedisCircuitBreaker.State breaker = breakers.get(policy.name());
			html.row(policy.name(), policy.algorithm().value(), policy.describeLimits(), policy.key(),
					policy.failureMode().value(),
					(breaker != null) ? breaker.name() : "–", allowed.recent(),
					rejected.recent(), allowed.total(), rejected.total());
		}
		html.endTable();
		if (this.metrics == ConsoleMetrics.NONE) {
			html.element("p", "Decision counts need Micrometer (a MeterRegistry bean).", "class", "muted");
		}
	}

}
