package io.redispatterns.ratelimit;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one rate-limit decision over one or more limits (all charged or none).
 *
 * @param outcome whether the request may proceed and why
 * @param limits the state of each limit that took part, in request order
 */
public record RateLimitDecision(Outcome outcome, List<Limit> limits) {

	/** How a decision came about. */
	public enum Outcome {

		/** Every limit admitted the request and was charged. */
		ALLOWED,

		/** At least one limit refused; none was charged. */
		REJECTED,

		/** Redis failed or is known down and every policy is {@code fail-open}: allowed unchecked. */
		DEGRADED,

		/** Redis failed or is known down and a policy is {@code fail-closed}: refused (503). */
		UNAVAILABLE

	}

	/**
	 * One limit's state after the decision.
	 *
	 * @param policy the policy
	 * @param allowed whether this limit alone would have admitted the request
	 * @param remaining units left after the decision (never negative)
	 * @param reset time until the limit's quota is fully or next restored
	 * @param retryAfter for a refusing limit, time until the same request could pass; zero otherwise
	 * @param refusal why a refusing limit refused ({@link Refusal#LIMIT_REACHED} for an admitting one)
	 */
	public record Limit(RateLimitPolicy policy, boolean allowed, long remaining, Duration reset, Duration retryAfter,
			Refusal refusal) {

		/**
		 * A limit decided by its quota.
		 * @param policy the policy
		 * @param allowed whether this limit alone would have admitted the request
		 * @param remaining units left after the decision
		 * @param reset time until the quota is restored
		 * @param retryAfter for a refusing limit, time until the same request could pass
		 */
		public Limit(RateLimitPolicy policy, boolean allowed, long remaining, Duration reset, Duration retryAfter) {
			this(policy, allowed, remaining, reset, retryAfter, Refusal.LIMIT_REACHED);
		}

		/**
		 * Returns the policy's name.
		 * @return the name
		 */
		public String policyName() {
			return this.policy.name();
		}

	}

	/** Why a limit refused a request. */
	public enum Refusal {

		/** The quota is used up. */
		LIMIT_REACHED,

		/** The request carried no client key and the policy says {@code missing-key: deny}. */
		KEY_MISSING,

		/** The request costs more than the policy's whole limit, so it can never pass. */
		COST_EXCEEDS_LIMIT

	}

	/**
	 * Creates a decision.
	 * @param outcome the outcome
	 * @param limits the limits
	 */
	public RateLimitDecision {
		limits = List.copyOf(limits);
	}

	/**
	 * Tells whether the request may proceed.
	 * @return {@code true} for {@link Outcome#ALLOWED} and {@link Outcome#DEGRADED}
	 */
	public boolean isAllowed() {
		return this.outcome == Outcome.ALLOWED || this.outcome == Outcome.DEGRADED;
	}

	/**
	 * Returns the names of the policies that refused the request.
	 * @return the names, empty unless {@link Outcome#REJECTED}
	 */
	public List<String> violatedPolicies() {
		if (this.outcome != Outcome.REJECTED) {
			return List.of();
		}
		return this.limits.stream().filter((limit) -> !limit.allowed()).map(Limit::policyName).toList();
	}

	/**
	 * Returns how long to wait before retrying: the longest wait among the refusing limits.
	 * @return the wait; zero when the request was allowed
	 */
	public Duration retryAfter() {
		return this.limits.stream()
			.filter((limit) -> !limit.allowed())
			.map(Limit::retryAfter)
			.max(Comparator.naturalOrder())
			.orElse(Duration.ZERO);
	}

	/**
	 * Returns the limit that headers describe: the refusing limit with the longest wait, else the
	 * one with the fewest remaining units.
	 * @return the limit, or {@code null} when no limit took part
	 */
	public @Nullable Limit mostRestrictive() {
		return this.limits.stream()
			.filter((limit) -> !limit.allowed())
			.max(Comparator.comparing(Limit::retryAfter))
			.or(() -> this.limits.stream().min(Comparator.comparingLong(Limit::remaining)))
			.orElse(null);
	}

}
