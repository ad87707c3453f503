package io.redispatterns.ratelimit.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

import io.redispatterns.core.LuaScript;
import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.core.RedisCircuitBreaker;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.RedisMode;
import io.redispatterns.core.RedisReconnectWatch;
import io.redispatterns.core.ScriptResult;
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

	/** Small costs, encoded once: most decisions charge 1. */
	private static final byte[][] SMALL_NUMBERS = new byte[256][];

	private static final byte[] CHECK_ONLY = { '1' };

	static {
		for (int i = 0; i < SMALL_NUMBERS.length; i++) {
			SMALL_NUMBERS[i] = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
		}
	}

	private final Map<String, Registered> policies = new ConcurrentHashMap<>();

	private final Map<RateLimitAlgorithm, LuaScript<long[]>> scripts = new EnumMap<>(RateLimitAlgorithm.class);

	private final LuaScript<long[]> mixedScript;

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
			this.scripts.put(algorithm, LuaScript.compose(RateLimiter.class, ScriptResult.LONG_ARRAY, "prelude.lua",
					file, "decide.lua"));
		}
		all.add("decide.lua");
		this.mixedScript = LuaScript.compose(RateLimiter.class, ScriptResult.LONG_ARRAY,
				all.toArray(String[]::new));
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
		Registered registered = this.policies.get(name);
		return (registered != null) ? registered.policy() : null;
	}

	@Override
	public Collection<RateLimitPolicy> policies() {
		return this.policies.values()
			.stream()
			.map(Registered::policy)
			.sorted(Comparator.comparing(RateLimitPolicy::name))
			.toList();
	}

	@Override
	public void updatePolicy(RateLimitPolicy policy) {
		byte[] namespace = utf8(this.keys.namespace(KEY_PATTERN, policy.name()));
		byte[] sharedKey = utf8(this.keys.namespace(KEY_PATTERN, policy.name()) + SHARED_KEY);
		if (this.policies.put(policy.name(), new Registered(policy, encode(policy), namespace, sharedKey)) == null) {
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
		for (String policy : this.policies.keySet()) {
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
			Object admitted = admit(request.policy(), request.key(), request.cost());
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
		Object admitted = admit(policy, key, cost);
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

	/**
	 * Resolves one request: a {@link Charge} to send, a refused {@link RateLimitDecision.Limit}, or
	 * {@code null} when the request is let through without Redis (a missing key with
	 * {@link MissingKeyBehavior#ALLOW}).
	 */
	private @Nullable Object admit(String policyName, @Nullable String clientKey, long requestCost) {
		Registered registered = this.policies.get(policyName);
		if (registered == null) {
			throw new IllegalArgumentException("No rate-limit policy named '" + policyName + "'; known: "
					+ this.policies.keySet());
		}
		RateLimitPolicy policy = registered.policy();
		long cost = (requestCost > 0) ? requestCost : policy.cost();
		if (cost > policy.limit()) {
			// can never be admitted (say, the limit was lowered at runtime below an annotation's cost)
			this.costLog.warn("Cost " + cost + " exceeds the limit " + policy.limit() + " of rate-limit policy '"
					+ policy.name() + "'; rejecting", null);
			Duration window = Duration.ofNanos(policy.windowMicros() * 1000);
			return new RateLimitDecision.Limit(policy, false, 0, window, window,
					RateLimitDecision.Refusal.COST_EXCEEDS_LIMIT);
		}
		byte[] redisKey;
		if (clientKey == null || clientKey.isBlank()) {
			switch (policy.missingKey()) {
				case ALLOW -> {
					return null;
				}
				case DENY -> {
					Duration window = Duration.ofNanos(policy.windowMicros() * 1000);
					return new RateLimitDecision.Limit(policy, false, 0, window, Duration.ofSeconds(1),
							RateLimitDecision.Refusal.KEY_MISSING);
				}
				default -> {
					clientKey = SHARED_KEY;
					redisKey = registered.sharedKey();
				}
			}
		}
		else {
			// the bytes of keys.tagged(KEY_PATTERN, policy, clientKey), from the namespace encoded once
			redisKey = RedisKeys.taggedBytes(registered.namespace(), clientKey);
		}
		return new Charge(registered, clientKey, redisKey, cost);
	}

	/** Runs the script of a single charge (one group, committed directly). */
	private RateLimitDecision decide(Charge charge) {
		RedisCircuitBreaker breaker = circuitBreaker(charge.policy().name());
		if (!breaker.tryAcquire()) {
			return failure(List.of(charge), "circuit-open", null);
		}
		long[] result;
		try {
			// every algorithm's script is composed in the constructor
			result = this.runner.run(Objects.requireNonNull(this.scripts.get(charge.policy().algorithm())),
					new byte[][] { charge.redisKey() }, args(charge), this.timeout,
					new BreakerOutcome(List.of(breaker), this.reconnects));
		}
		catch (TimeoutException ex) {
			return failure(List.of(charge), "timeout", ex);
		}
		catch (RuntimeException ex) {
			return failure(List.of(charge), "error", ex);
		}
		if (result.length != 6) {
			return failure(List.of(charge), "error",
					new IllegalStateException("Unexpected script result " + Arrays.toString(result)));
		}
		return new RateLimitDecision(
				(result[0] == 1L) ? RateLimitDecision.Outcome.ALLOWED : RateLimitDecision.Outcome.REJECTED,
				List.of(limit(charge, result, 0, false)));
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
				return failure(charges, "circuit-open", null);
			}
			long[] result;
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
			if (result.length != 2 + 4 * group.size()) {
				return failure(charges, "error",
						new IllegalStateException("Unexpected script result " + Arrays.toString(result)));
			}
			results.add(result);
			if (result[0] != 1L) {
				allowed = false;
				break;
			}
		}
		List<RateLimitDecision.Limit> limits = new ArrayList<>(charges.size());
		for (int g = 0; g < results.size(); g++) {
			List<Charge> group = groups.get(g);
			long[] result = results.get(g);
			for (int i = 0; i < group.size(); i++) {
				limits.add(limit(group.get(i), result, i, checkOnly));
			}
		}
		return new RateLimitDecision(allowed ? RateLimitDecision.Outcome.ALLOWED : RateLimitDecision.Outcome.REJECTED,
				limits);
	}

	/** The outcome for the {@code index}-th charge of a group, from the group's script result. */
	private static RateLimitDecision.Limit limit(Charge charge, long[] result, int index, boolean checkOnly) {
		int base = 1 + 4 * index;
		long available = result[base + 1];
		// a group's units were taken when its commit admitted, even if a later group rejected
		boolean taken = !checkOnly && result[0] == 1L;
		long remaining = taken ? available - charge.cost() : available;
		remaining = Math.max(0, Math.min(remaining, charge.policy().limit()));
		return new RateLimitDecision.Limit(charge.policy(), result[base] == 1L, remaining, micros(result[base + 2]),
				micros(result[base + 3]));
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

	private LuaScript<long[]> script(List<Charge> group) {
		RateLimitAlgorithm algorithm = group.get(0).policy().algorithm();
		for (Charge charge : group) {
			if (charge.policy().algorithm() != algorithm) {
				return this.mixedScript;
			}
		}
		// the constructor loads a script for every algorithm
		return Objects.requireNonNull(this.scripts.get(algorithm));
	}

	private static byte[][] keys(List<Charge> group) {
		byte[][] keys = new byte[group.size()][];
		for (int i = 0; i < keys.length; i++) {
			keys[i] = group.get(i).redisKey();
		}
		return keys;
	}

	/** Per charge: the policy's constants (encoded once, when the policy was registered), then the cost. */
	private static byte[][] args(List<Charge> group, boolean checkOnly) {
		byte[][] args = new byte[group.size() * 5 + (checkOnly ? 1 : 0)][];
		for (int i = 0; i < group.size(); i++) {
			addArgs(group.get(i), args, i * 5);
		}
		if (checkOnly) {
			args[args.length - 1] = CHECK_ONLY;
		}
		return args;
	}

	private static byte[][] args(Charge charge) {
		byte[][] args = new byte[5][];
		addArgs(charge, args, 0);
		return args;
	}

	private static void addArgs(Charge charge, byte[][] args, int offset) {
		byte[][] constants = charge.registered().constants();
		System.arraycopy(constants, 0, args, offset, constants.length);
		long cost = charge.cost();
		args[offset + constants.length] = (cost >= 0 && cost < SMALL_NUMBERS.length) ? SMALL_NUMBERS[(int) cost]
				: utf8(Long.toString(cost));
	}

	/** The script arguments fixed by a policy: its algorithm's code and its three parameters. */
	private static byte[][] encode(RateLimitPolicy policy) {
		long[] parameters = policy.scriptParameters();
		return new byte[][] { utf8(Integer.toString(policy.algorithm().code())), utf8(Long.toString(parameters[0])),
				utf8(Long.toString(parameters[1])), utf8(Long.toString(parameters[2])) };
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static Duration micros(long micros) {
		return Duration.ofNanos(Math.max(0, micros) * 1000);
	}

	/**
	 * A registered policy with what every decision would otherwise encode again: its script
	 * constants, its key namespace and its shared key, replaced together when the policy is updated.
	 */
	private record Registered(RateLimitPolicy policy, byte[][] constants, byte[] namespace, byte[] sharedKey) {
	}

	private record Charge(Registered registered, String clientKey, byte[] redisKey, long cost) {

		RateLimitPolicy policy() {
			return this.registered.policy();
		}

	}

}
