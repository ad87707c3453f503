package io.redispatterns.ratelimit.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.redispatterns.core.RedisCircuitBreaker;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.RedisMode;
import io.redispatterns.core.RedisReconnectWatch;
import io.redispatterns.ratelimit.FailureMode;
import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitMetrics;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RateLimitRequest;
import io.redispatterns.ratelimit.RateLimiter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The Redis-backed {@link RateLimiter}. Each decision runs one Lua script (one round trip) that
 * reads the server's {@code TIME}, checks every limit and charges all of them or none. Keys are
 * {@code <prefix>:rl:<policy>:{<client key>}}: all limits of one client share a hash tag, so
 * one script serves them on Redis Cluster too. On Cluster, limits of one decision that use
 * different client keys live in different slots and need one script per client key: the
 * decision first runs each script in check-only mode (nothing is charged), and charges every
 * group only if all of them admit, so a rejected decision charges nothing. Between the two
 * passes another request may take the last units of a group; that group's commit then rejects
 * and the decision is rejected, while the groups committed before it stay charged (no refund:
 * a refund could not be made exact for every algorithm, and the over-charge is bounded by the
 * requests racing for the last units). Decisions within one slot stay one round trip.
 * <p>
 * A decision never waits longer than the configured timeout; while the circuit breaker of a
 * policy involved is open it does not call Redis at all. Each policy has its own breaker, opened
 * by Redis faults only (see {@link RedisFailures}): the limiter's own timeout counts only while
 * the connection to Redis is lost, never while a call waits for a local thread. Failures apply each policy's {@link FailureMode}, are logged at
 * most once per interval and counted. Created by the auto-configuration.
 */
public class RedisRateLimiter implements RateLimiter, AutoCloseable {

	static final String KEY_PATTERN = PolicyRegistry.KEY_PATTERN;

	private static final Log logger = LogFactory.getLog(RedisRateLimiter.class);

	private final PolicyRegistry registry;

	private final DecisionScripts scripts = new DecisionScripts();

	private final DecisionTransport transport;

	private final Function<String, RedisCircuitBreaker> breakerFactory;

	private final RedisReconnectWatch reconnects;

	private final Map<String, RedisCircuitBreaker> breakers = new ConcurrentHashMap<>();

	private final Duration timeout;

	private final RateLimitMetrics metrics;

	private final FallbackDecisions fallback;

	private final boolean cluster;

	/**
	 * Creates the limiter with one circuit breaker shared by every policy.
	 * @param connectionFactory the application's connection factory
	 * @param keys the key builder
	 * @param timeout the longest a decision may wait for Redis
	 * @param circuitBreaker the breaker that skips Redis while it is known down
	 * @param metrics where decisions are recorded
	 * @param policies the initial policies
	 */
	public RedisRateLimiter(RedisConnectionFactory connectionFactory, RedisKeys keys, Duration timeout,
			RedisCircuitBreaker circuitBreaker, RateLimitMetrics metrics, Collection<RateLimitPolicy> policies) {
		this(connectionFactory, keys, timeout, (policy) -> circuitBreaker, metrics, policies);
	}

	/**
	 * Creates the limiter with a circuit breaker per policy.
	 * @param connectionFactory the application's connection factory
	 * @param keys the key builder
	 * @param timeout the longest a decision may wait for Redis
	 * @param breakerFactory creates the breaker of a policy (by name) the first time it is used
	 * @param metrics where decisions are recorded
	 * @param policies the initial policies
	 */
	public RedisRateLimiter(RedisConnectionFactory connectionFactory, RedisKeys keys, Duration timeout,
			Function<String, RedisCircuitBreaker> breakerFactory, RateLimitMetrics metrics,
			Collection<RateLimitPolicy> policies) {
		this.registry = new PolicyRegistry(keys, metrics, logger);
		this.transport = DecisionTransport.of(connectionFactory);
		this.timeout = timeout;
		this.breakerFactory = breakerFactory;
		this.reconnects = RedisReconnectWatch.of(connectionFactory);
		this.metrics = metrics;
		this.fallback = new FallbackDecisions(metrics, logger);
		this.cluster = RedisMode.of(connectionFactory) == RedisMode.CLUSTER;
		policies.forEach(this::updatePolicy);
	}

	/**
	 * Opens the Redis connection and loads the scripts in the background, so that the first
	 * decisions do not spend their timeout on connecting. Never blocks and never fails.
	 */
	public void warmUp() {
		try {
			this.scripts.all().forEach(this.transport::preload);
		}
		catch (RuntimeException ex) {
			logger.debug("Rate limiter warm-up failed; scripts load on first use", ex);
		}
	}

	/**
	 * Stops the threads that talk to Redis; called when the application context closes.
	 */
	@Override
	public void close() {
		this.reconnects.close();
		this.transport.close();
	}

	@Override
	public @Nullable RateLimitPolicy policy(String name) {
		return this.registry.policy(name);
	}

	@Override
	public Collection<RateLimitPolicy> policies() {
		return this.registry.policies();
	}

	@Override
	public void updatePolicy(RateLimitPolicy policy) {
		this.registry.update(policy);
	}

	/**
	 * Returns the circuit breaker guarding a policy's Redis calls.
	 * @param policy the policy's name
	 * @return the breaker
	 */
	public RedisCircuitBreaker circuitBreaker(String policy) {
		return this.breakers.computeIfAbsent(policy, this.breakerFactory);
	}

	/**
	 * Returns the state of each policy's circuit breaker.
	 * @return policy name to state, sorted by name
	 */
	public Map<String, RedisCircuitBreaker.State> circuitBreakerStates() {
		Map<String, RedisCircuitBreaker.State> states = new TreeMap<>();
		for (String policy : this.registry.names()) {
			states.put(policy, circuitBreaker(policy).state());
		}
		return states;
	}

	/**
	 * Returns the longest time a decision waits for Redis.
	 * @return the timeout
	 */
	public Duration timeout() {
		return this.timeout;
	}

	@Override
	public RateLimitDecision tryAcquire(String policy, @Nullable String key, long cost) {
		return tryAcquireOne(policy, key, cost);
	}

	@Override
	public RateLimitDecision tryAcquire(List<RateLimitRequest> requests) {
		if (requests.size() == 1) {
			RateLimitRequest request = requests.get(0);
			return tryAcquireOne(request.policy(), request.key(), request.cost());
		}
		long start = System.nanoTime();
		List<Charge> charges = new ArrayList<>(requests.size());
		List<RateLimitDecision.Limit> denied = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (RateLimitRequest request : requests) {
			Object admitted = this.registry.admit(request.policy(), request.key(), request.cost());
			if (admitted instanceof RateLimitDecision.Limit limit) {
				denied.add(limit);
			}
			else if (admitted instanceof Charge charge
					&& seen.add(new String(charge.redisKey(), StandardCharsets.UTF_8))) {
				charges.add(charge);
			}
		}
		RateLimitDecision decision;
		if (!denied.isEmpty()) {
			decision = new RateLimitDecision(RateLimitDecision.Outcome.REJECTED, denied);
		}
		else if (charges.isEmpty()) {
			return new RateLimitDecision(RateLimitDecision.Outcome.ALLOWED, List.of());
		}
		else {
			decision = decide(charges);
		}
		record(decision, System.nanoTime() - start);
		return decision;
	}

	/** A decision for one request: no intermediate lists, one script call. */
	private RateLimitDecision tryAcquireOne(String policy, @Nullable String key, long cost) {
		long start = System.nanoTime();
		Object admitted = this.registry.admit(policy, key, cost);
		RateLimitDecision decision;
		if (admitted instanceof RateLimitDecision.Limit limit) {
			decision = new RateLimitDecision(RateLimitDecision.Outcome.REJECTED, List.of(limit));
		}
		else if (admitted instanceof Charge charge) {
			decision = decide(charge);
		}
		else {
			return new RateLimitDecision(RateLimitDecision.Outcome.ALLOWED, List.of());
		}
		record(decision, System.nanoTime() - start);
		return decision;
	}

	/** Runs the script of a single charge (one group, committed directly). */
	private RateLimitDecision decide(Charge charge) {
		RedisCircuitBreaker breaker = circuitBreaker(charge.policy().name());
		if (!breaker.tryAcquire()) {
			return this.fallback.decide(List.of(charge), "circuit-open", null);
		}
		long[] result;
		try {
			result = this.transport.run(this.scripts.single(charge.policy().algorithm()), DecisionCodec.keys(charge),
					DecisionCodec.args(charge), this.timeout, new BreakerOutcome(List.of(breaker), this.reconnects));
		}
		catch (TimeoutException ex) {
			return this.fallback.decide(List.of(charge), "timeout", ex);
		}
		catch (RuntimeException ex) {
			return this.fallback.decide(List.of(charge), "error", ex);
		}
		if (!DecisionCodec.isComplete(result, 1)) {
			return this.fallback.decide(List.of(charge), "error",
					new IllegalStateException("Unexpected script result " + Arrays.toString(result)));
		}
		return new RateLimitDecision(
				DecisionCodec.allAdmitted(result) ? RateLimitDecision.Outcome.ALLOWED
						: RateLimitDecision.Outcome.REJECTED,
				List.of(DecisionCodec.limit(charge, result, 0, false)));
	}

	private RateLimitDecision decide(List<Charge> charges) {
		List<List<Charge>> groups;
		if (this.cluster) {
			Map<String, List<Charge>> byClient = new LinkedHashMap<>();
			for (Charge charge : charges) {
				byClient.computeIfAbsent(charge.clientKey(), (k) -> new ArrayList<>()).add(charge);
			}
			groups = new ArrayList<>(byClient.values());
		}
		else {
			groups = List.of(charges);
		}
		if (groups.size() == 1) {
			return decide(charges, groups, false);
		}
		// several slots: check every group without charging, then charge only if all admit
		RateLimitDecision check = decide(charges, groups, true);
		if (check.outcome() != RateLimitDecision.Outcome.ALLOWED) {
			return check;
		}
		return decide(charges, groups, false);
	}

	/**
	 * Runs one script per group. When committing several groups, a group that rejects (another
	 * request took the last units between the check and the commit) stops the decision; groups
	 * committed before it stay charged (see the class comment).
	 */
	private RateLimitDecision decide(List<Charge> charges, List<List<Charge>> groups, boolean checkOnly) {
		List<long[]> results = new ArrayList<>(groups.size());
		boolean allowed = true;
		for (List<Charge> group : groups) {
			List<RedisCircuitBreaker> breakers = acquireBreakers(group);
			if (breakers == null) {
				return this.fallback.decide(charges, "circuit-open", null);
			}
			long[] result;
			try {
				result = this.transport.run(this.scripts.of(group), DecisionCodec.keys(group),
						DecisionCodec.args(group, checkOnly), this.timeout, new BreakerOutcome(breakers, this.reconnects));
			}
			catch (TimeoutException ex) {
				return this.fallback.decide(charges, "timeout", ex);
			}
			catch (RuntimeException ex) {
				return this.fallback.decide(charges, "error", ex);
			}
			if (!DecisionCodec.isComplete(result, group.size())) {
				return this.fallback.decide(charges, "error",
						new IllegalStateException("Unexpected script result " + Arrays.toString(result)));
			}
			results.add(result);
			if (!DecisionCodec.allAdmitted(result)) {
				allowed = false;
				break;
			}
		}
		List<RateLimitDecision.Limit> limits = new ArrayList<>(charges.size());
		for (int g = 0; g < results.size(); g++) {
			List<Charge> group = groups.get(g);
			long[] result = results.get(g);
			for (int i = 0; i < group.size(); i++) {
				limits.add(DecisionCodec.limit(group.get(i), result, i, checkOnly));
			}
		}
		return new RateLimitDecision(allowed ? RateLimitDecision.Outcome.ALLOWED : RateLimitDecision.Outcome.REJECTED,
				limits);
	}

	/**
	 * Asks the breaker of every policy in the group; all must let the call through. Permissions
	 * already given are handed back when a later breaker refuses.
	 * @return the breakers to report the outcome to, or {@code null} when one is open
	 */
	private @Nullable List<RedisCircuitBreaker> acquireBreakers(List<Charge> group) {
		List<RedisCircuitBreaker> acquired = new ArrayList<>(group.size());
		for (Charge charge : group) {
			RedisCircuitBreaker breaker = circuitBreaker(charge.policy().name());
			if (acquired.contains(breaker)) {
				continue;
			}
			if (!breaker.tryAcquire()) {
				acquired.forEach(RedisCircuitBreaker::release);
				return null;
			}
			acquired.add(breaker);
		}
		return acquired;
	}

	private void record(RateLimitDecision decision, long nanos) {
		String result = switch (decision.outcome()) {
			case ALLOWED -> "allowed";
			case DEGRADED -> "degraded";
			case REJECTED, UNAVAILABLE -> "rejected";
		};
		for (RateLimitDecision.Limit limit : decision.limits()) {
			this.metrics.decision(limit.policyName(), result);
		}
		if (!decision.limits().isEmpty()) {
			this.metrics.latency(decision.limits().get(0).policyName(), result, nanos);
		}
	}

}
