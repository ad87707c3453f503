package io.redispatterns.ratelimit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.core.RedisCircuitBreaker;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.RedisMode;
import io.redispatterns.core.RedisReconnectWatch;
import io.redispatterns.core.RedisScripts;
import io.redispatterns.ratelimit.FailureMode;
import io.redispatterns.ratelimit.RateLimitAlgorithm;
import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitMetrics;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RateLimitRequest;
import io.redispatterns.ratelimit.RateLimiter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;

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

	static final String KEY_PATTERN = "rl";

	private static final Log logger = LogFactory.getLog(RedisRateLimiter.class);

	private static final String SHARED_KEY = "{~shared}";

	private final RedisKeys keys;

	private final ScriptRunner runner;

	private final Function<String, RedisCircuitBreaker> breakerFactory;

	private final RedisReconnectWatch reconnects;

	private final Map<String, RedisCircuitBreaker> breakers = new ConcurrentHashMap<>();

	private final Duration timeout;

	private final RateLimitMetrics metrics;

	private final RateLimitedLogger failureLog;

	private final RateLimitedLogger costLog;

	private final boolean cluster;

	private final Map<String, RateLimitPolicy> policies = new ConcurrentHashMap<>();

	private final Map<RateLimitAlgorithm, RedisScript<List>> scripts = new EnumMap<>(RateLimitAlgorithm.class);

	private final RedisScript<List> mixedScript;

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
		this.keys = keys;
		this.runner = ScriptRunner.of(connectionFactory);
		this.timeout = timeout;
		this.breakerFactory = breakerFactory;
		this.reconnects = RedisReconnectWatch.of(connectionFactory);
		this.metrics = metrics;
		this.failureLog = new RateLimitedLogger(logger, Duration.ofSeconds(10));
		this.costLog = new RateLimitedLogger(logger, Duration.ofSeconds(10));
		this.cluster = RedisMode.of(connectionFactory) == RedisMode.CLUSTER;
		List<String> all = new ArrayList<>();
		all.add("prelude.lua");
		for (RateLimitAlgorithm algorithm : RateLimitAlgorithm.values()) {
			String file = algorithm.value().replace('-', '_') + ".lua";
			all.add(file);
			this.scripts.put(algorithm, RedisScripts.compose(RateLimiter.class, List.class, "prelude.lua", file,
					"decide.lua"));
		}
		all.add("decide.lua");
		this.mixedScript = RedisScripts.compose(RateLimiter.class, List.class, all.toArray(String[]::new));
		policies.forEach(this::updatePolicy);
	}

	/**
	 * Opens the Redis connection and loads the scripts in the background, so that the first
	 * decisions do not spend their timeout on connecting. Never blocks and never fails.
	 */
	public void warmUp() {
		try {
			this.runner.preload(this.mixedScript);
			this.scripts.values().forEach(this.runner::preload);
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
		this.runner.close();
	}

	@Override
	public @Nullable RateLimitPolicy policy(String name) {
		return this.policies.get(name);
	}

	@Override
	public Collection<RateLimitPolicy> policies() {
		return this.policies.values().stream().sorted(Comparator.comparing(RateLimitPolicy::name)).toList();
	}

	@Override
	public void updatePolicy(RateLimitPolicy policy) {
		if (this.policies.put(policy.name(), policy) == null) {
			this.metrics.register(policy.name());
		}
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
		for (RateLimitPolicy policy : this.policies.values()) {
			states.put(policy.name(), circuitBreaker(policy.name()).state());
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
	public RateLimitDecision tryAcquire(List<RateLimitRequest> requests) {
		long start = System.nanoTime();
		List<Charge> charges = new ArrayList<>(requests.size());
		List<RateLimitDecision.Limit> denied = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (RateLimitRequest request : requests) {
			RateLimitPolicy policy = this.policies.get(request.policy());
			if (policy == null) {
				throw new IllegalArgumentException("No rate-limit policy named '" + request.policy() + "'; known: "
						+ this.policies.keySet());
			}
			long cost = (request.cost() > 0) ? request.cost() : policy.cost();
			if (cost > policy.limit()) {
				// can never be admitted (say, the limit was lowered at runtime below an annotation's cost)
				this.costLog.warn("Cost " + cost + " exceeds the limit " + policy.limit() + " of rate-limit policy '"
						+ policy.name() + "'; rejecting", null);
				Duration window = Duration.ofNanos(policy.windowMicros() * 1000);
				denied.add(new RateLimitDecision.Limit(policy, false, 0, window, window,
						RateLimitDecision.Refusal.COST_EXCEEDS_LIMIT));
				continue;
			}
			String clientKey = request.key();
			String redisKey;
			if (clientKey == null || clientKey.isBlank()) {
				switch (policy.missingKey()) {
					case ALLOW -> {
						continue;
					}
					case DENY -> {
						Duration window = Duration.ofNanos(policy.windowMicros() * 1000);
						denied.add(new RateLimitDecision.Limit(policy, false, 0, window, Duration.ofSeconds(1),
								RateLimitDecision.Refusal.KEY_MISSING));
						continue;
					}
					default -> {
						clientKey = SHARED_KEY;
						redisKey = this.keys.namespace(KEY_PATTERN, policy.name()) + SHARED_KEY;
					}
				}
			}
			else {
				redisKey = this.keys.tagged(KEY_PATTERN, policy.name(), clientKey);
			}
			if (seen.add(redisKey)) {
				charges.add(new Charge(policy, clientKey, redisKey, cost));
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
		List<List<Long>> results = new ArrayList<>(groups.size());
		boolean allowed = true;
		for (List<Charge> group : groups) {
			List<RedisCircuitBreaker> breakers = acquireBreakers(group);
			if (breakers == null) {
				return failure(charges, "circuit-open", null);
			}
			List<Long> result;
			try {
				result = this.runner.run(script(group), keys(group), args(group, checkOnly), this.timeout,
						new BreakerOutcome(breakers, this.reconnects));
			}
			catch (TimeoutException ex) {
				return failure(charges, "timeout", ex);
			}
			catch (RuntimeException ex) {
				return failure(charges, "error", ex);
			}
			if (result.size() != 2 + 4 * group.size()) {
				return failure(charges, "error", new IllegalStateException("Unexpected script result " + result));
			}
			results.add(result);
			if (result.get(0) != 1L) {
				allowed = false;
				break;
			}
		}
		List<RateLimitDecision.Limit> limits = new ArrayList<>(charges.size());
		for (int g = 0; g < results.size(); g++) {
			List<Charge> group = groups.get(g);
			List<Long> result = results.get(g);
			for (int i = 0; i < group.size(); i++) {
				Charge charge = group.get(i);
				int base = 1 + 4 * i;
				long available = result.get(base + 1);
				// a group's units were taken when its commit admitted, even if a later group rejected
				boolean taken = !checkOnly && result.get(0) == 1L;
				long remaining = taken ? available - charge.cost() : available;
				remaining = Math.max(0, Math.min(remaining, charge.policy().limit()));
				limits.add(new RateLimitDecision.Limit(charge.policy(), result.get(base) == 1L, remaining,
						micros(result.get(base + 2)), micros(result.get(base + 3))));
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

	/**
	 * Reports a call's outcome to its breakers. Only Redis faults count as failures: an error that
	 * is not one (see {@link RedisFailures}), an interrupt, or the limiter's own timeout while the
	 * call still waited for a local thread say the application is busy and must not open a breaker
	 * (which would fail every policy open or closed under load). A call that timed out after its
	 * command was handed to the client counts only while Lettuce is reconnecting a lost connection
	 * (Redis is gone); on a live connection the delay may be a slow Redis or a starved application,
	 * so it does not count (a Redis silent on a live connection costs each decision the limiter's
	 * timeout instead of opening the breaker).
	 */
	private record BreakerOutcome(List<RedisCircuitBreaker> breakers, RedisReconnectWatch reconnects)
			implements ScriptRunner.Outcome {

		@Override
		public void succeeded() {
			this.breakers.forEach(RedisCircuitBreaker::recordSuccess);
		}

		@Override
		public void failed(Throwable failure) {
			count(RedisFailures.isRedisFault(failure));
		}

		@Override
		public void timedOut(boolean sent) {
			count(sent && this.reconnects.isReconnecting());
		}

		private void count(boolean redisFault) {
			if (redisFault) {
				this.breakers.forEach(RedisCircuitBreaker::recordFailure);
			}
			else {
				this.breakers.forEach(RedisCircuitBreaker::release);
			}
		}

	}

	private RateLimitDecision failure(List<Charge> charges, String reason, @Nullable Throwable ex) {
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

	private RedisScript<List> script(List<Charge> group) {
		RateLimitAlgorithm algorithm = group.get(0).policy().algorithm();
		for (Charge charge : group) {
			if (charge.policy().algorithm() != algorithm) {
				return this.mixedScript;
			}
		}
		// the constructor loads a script for every algorithm
		return Objects.requireNonNull(this.scripts.get(algorithm));
	}

	private static List<String> keys(List<Charge> group) {
		List<String> keys = new ArrayList<>(group.size());
		for (Charge charge : group) {
			keys.add(charge.redisKey());
		}
		return keys;
	}

	private static List<String> args(List<Charge> group, boolean checkOnly) {
		List<String> args = new ArrayList<>(group.size() * 5 + 1);
		for (Charge charge : group) {
			long[] parameters = charge.policy().scriptParameters();
			args.add(Integer.toString(charge.policy().algorithm().code()));
			args.add(Long.toString(parameters[0]));
			args.add(Long.toString(parameters[1]));
			args.add(Long.toString(parameters[2]));
			args.add(Long.toString(charge.cost()));
		}
		if (checkOnly) {
			args.add("1");
		}
		return args;
	}

	private static Duration micros(long micros) {
		return Duration.ofNanos(Math.max(0, micros) * 1000);
	}

	private record Charge(RateLimitPolicy policy, String clientKey, String redisKey, long cost) {
	}

}
