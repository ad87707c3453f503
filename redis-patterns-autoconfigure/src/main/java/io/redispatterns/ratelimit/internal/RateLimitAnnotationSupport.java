package io.redispatterns.ratelimit.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.core.AnnotationValues;
import io.redispatterns.core.ClientAddressResolver;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.ratelimit.RateLimitAlgorithm;
import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitExceededException;
import io.redispatterns.ratelimit.RateLimitHeaderStyle;
import io.redispatterns.ratelimit.RateLimitKeyContext;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RateLimitRequest;
import io.redispatterns.ratelimit.RateLimited;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.ratelimit.RateLimiterUnavailableException;
import io.redispatterns.ratelimit.RefillRate;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Controller;
import org.springframework.util.ReflectionUtils;

/**
 * Turns {@link RateLimited} annotations and path policies into limits, resolves client keys,
 * decides through the {@link RateLimiter} and writes headers. Shared by the MVC interceptor
 * and the bean-method interceptor; created by the auto-configuration.
 * <p>
 * Annotations are bound once per method and validated eagerly, so that a policy name that is
 * not configured or a bad inline limit fails start-up with a message naming it.
 */
public final class RateLimitAnnotationSupport {

	static final String POLICIES_PROPERTY = "redis-patterns.rate-limit.policies";

	private final RateLimiter limiter;

	private final KeySources keySources;

	private final RateLimitHeaderStyle headerStyle;

	private final AnnotationValues values;

	private final Map<MethodClassKey, List<Bound>> bound = new ConcurrentHashMap<>();

	private final RateLimitedLogger keyFailureLog = new RateLimitedLogger(
			LogFactory.getLog(RateLimitAnnotationSupport.class), Duration.ofSeconds(10));

	/**
	 * Creates the support and validates the key specifications and paths of every policy.
	 * @param limiter the limiter
	 * @param trustedProxies CIDRs whose {@code Forwarded}/{@code X-Forwarded-For} are honoured
	 * @param headerStyle which headers responses carry
	 * @param beanFactory resolves placeholders and {@code bean:} keys; may be {@code null}
	 */
	public RateLimitAnnotationSupport(RateLimiter limiter, List<String> trustedProxies,
			RateLimitHeaderStyle headerStyle, @Nullable ConfigurableBeanFactory beanFactory) {
		this(limiter, new ClientAddressResolver(trustedProxies), headerStyle, beanFactory);
	}

	/**
	 * Creates the support and validates the key specifications and paths of every policy.
	 * @param limiter the limiter
	 * @param clientAddresses finds the client IP of a request (the {@code ip} key)
	 * @param headerStyle which headers responses carry
	 * @param beanFactory resolves placeholders and {@code bean:} keys; may be {@code null}
	 */
	public RateLimitAnnotationSupport(RateLimiter limiter, ClientAddressResolver clientAddresses,
			RateLimitHeaderStyle headerStyle, @Nullable ConfigurableBeanFactory beanFactory) {
		this.limiter = limiter;
		this.values = AnnotationValues.of(beanFactory);
		this.keySources = new KeySources(beanFactory, this.values, clientAddresses);
		this.headerStyle = headerStyle;
		for (RateLimitPolicy policy : limiter.policies()) {
			keySource(policy.key(), POLICIES_PROPERTY + "." + policy.name() + ".key");
		}
	}

	/** One limit to apply: a policy, an optional key override, a cost. */
	record Bound(String policy, @Nullable String key, long cost) {
	}

	/**
	 * Returns the header style.
	 * @return the style
	 */
	public RateLimitHeaderStyle headerStyle() {
		return this.headerStyle;
	}

	List<Bound> limitsFor(Method method, Class<?> targetClass) {
		return this.bound.computeIfAbsent(new MethodClassKey(method, targetClass), (k) -> bind(method, targetClass));
	}

	/**
	 * Binds (and so validates) every rate-limited method of a class.
	 * @param targetClass the user class
	 */
	void validate(Class<?> targetClass) {
		boolean classLevel = !AnnotatedElementUtils.findMergedRepeatableAnnotations(targetClass, RateLimited.class)
			.isEmpty();
		for (Method method : ReflectionUtils.getUniqueDeclaredMethods(targetClass, ReflectionUtils.USER_DECLARED_METHODS)) {
			if (Modifier.isStatic(method.getModifiers())) {
				continue;
			}
			if ((classLevel && Modifier.isPublic(method.getModifiers()))
					|| !AnnotatedElementUtils.findMergedRepeatableAnnotations(method, RateLimited.class).isEmpty()) {
				limitsFor(method, targetClass);
			}
		}
	}

	RateLimitDecision apply(List<Bound> limits, @Nullable HttpServletRequest request,
			@Nullable HttpServletResponse response, @Nullable Method method, @Nullable Object[] arguments,
			Map<String, String> pathVariables) {
		List<RateLimitRequest> requests = new ArrayList<>(limits.size());
		for (Bound limit : limits) {
			RateLimitPolicy policy = this.limiter.policy(limit.policy());
			if (policy == null) {
				continue;
			}
			String spec = (limit.key() != null) ? limit.key() : policy.key();
			String key;
			try {
				key = this.keySources.forSpec(spec)
					.resolve(new RateLimitKeyContext(policy, request, method, arguments, pathVariables));
			}
			catch (RuntimeException ex) {
				this.keyFailureLog.warn("Cannot resolve rate-limit key '" + spec + "' of policy '" + policy.name()
						+ "'; applying missing-key: " + policy.missingKey().value() + ": " + ex, null);
				key = null;
			}
			requests.add(new RateLimitRequest(policy.name(), key, limit.cost()));
		}
		RateLimitDecision decision = this.limiter.tryAcquire(requests);
		if (response != null) {
			RateLimitHeaders.write(response, decision, this.headerStyle);
		}
		return decision;
	}

	static void enforce(RateLimitDecision decision) {
		if (decision.outcome() == RateLimitDecision.Outcome.REJECTED) {
			throw new RateLimitExceededException(decision);
		}
		if (decision.outcome() == RateLimitDecision.Outcome.UNAVAILABLE) {
			throw new RateLimiterUnavailableException(decision);
		}
	}

	private List<Bound> bind(Method method, Class<?> targetClass) {
		List<Bound> limits = new ArrayList<>();
		Map<String, Integer> counts = new LinkedHashMap<>();
		String className = targetClass.getSimpleName();
		// inline limits key by client IP on controllers; elsewhere there may be no request at all
		String inlineKey = AnnotatedElementUtils.hasAnnotation(targetClass, Controller.class) ? "ip" : "global";
		for (RateLimited annotation : AnnotatedElementUtils.findMergedRepeatableAnnotations(targetClass,
				RateLimited.class)) {
			limits.add(bindOne(annotation, className, className, counts, inlineKey));
		}
		String where = className + "." + method.getName();
		for (RateLimited annotation : AnnotatedElementUtils.findMergedRepeatableAnnotations(method,
				RateLimited.class)) {
			limits.add(bindOne(annotation, where, where, counts, inlineKey));
		}
		return List.copyOf(limits);
	}

	private Bound bindOne(RateLimited annotation, String where, String defaultName, Map<String, Integer> counts,
			String inlineKey) {
		String site = "@RateLimited on " + where;
		String key = resolve(annotation.key());
		if (!key.isEmpty()) {
			keySource(key, site + " (key)");
		}
		String policyName = resolve(annotation.policy());
		RateLimitPolicy policy;
		if (!policyName.isEmpty()) {
			policy = this.limiter.policy(policyName);
			if (policy == null) {
				Collection<String> known = this.limiter.policies().stream().map(RateLimitPolicy::name).toList();
				throw new InvalidRedisPatternsPropertyException(POLICIES_PROPERTY + "." + policyName, "(not configured)",
						"a configured policy: " + site + " references policy '" + policyName + "', configured are "
								+ known);
			}
		}
		else {
			String name = resolve(annotation.name());
			if (name.isEmpty()) {
				int n = counts.merge(defaultName, 1, Integer::sum);
				name = (n == 1) ? defaultName : defaultName + "-" + n;
			}
			policy = inlinePolicy(annotation, name, site).withKey(inlineKey);
			RateLimitPolicy existing = this.limiter.policy(name);
			if (existing == null) {
				this.limiter.updatePolicy(policy);
			}
			else if (!existing.equals(policy)) {
				throw new InvalidRedisPatternsPropertyException(site + " (name)", name,
						"a policy name not used by another policy with different limits (" + existing.describeLimits()
								+ ")");
			}
		}
		if (annotation.cost() > policy.limit()) {
			throw new InvalidRedisPatternsPropertyException(site + " (cost)", annotation.cost(),
					"a cost between 1 and the policy's limit " + policy.limit());
		}
		return new Bound(policy.name(), key.isEmpty() ? null : key, Math.max(0, annotation.cost()));
	}

	private RateLimitPolicy inlinePolicy(RateLimited annotation, String name, String site) {
		String algorithmValue = resolve(annotation.algorithm());
		RateLimitAlgorithm algorithm;
		if (algorithmValue.isEmpty()) {
			algorithm = (annotation.capacity() > 0) ? RateLimitAlgorithm.TOKEN_BUCKET : RateLimitAlgorithm.GCRA;
		}
		else {
			algorithm = RateLimitAlgorithm.fromValue(algorithmValue);
			if (algorithm == null) {
				throw new InvalidRedisPatternsPropertyException(site + " (algorithm)", algorithmValue,
						"one of " + RateLimitAlgorithm.allowedValues());
			}
		}
		try {
			if (algorithm == RateLimitAlgorithm.TOKEN_BUCKET) {
				String rate = resolve(annotation.refillRate());
				if (rate.isEmpty()) {
					throw new InvalidRedisPatternsPropertyException(site + " (refillRate)", rate,
							"a refill rate such as 5/s");
				}
				return RateLimitPolicy.tokenBucket(name, annotation.capacity(), RefillRate.parse(rate));
			}
			Duration duration = this.values.duration(annotation.window(), "window", site);
			if (duration == null) {
				throw new InvalidRedisPatternsPropertyException(site + " (window)", resolve(annotation.window()),
						"a positive duration such as 1s, 500ms or 1h");
			}
			return RateLimitPolicy.of(name, algorithm, annotation.limit(), duration);
		}
		catch (IllegalArgumentException ex) {
			String message = String.valueOf(ex.getMessage());
			String attribute = message.contains(":") ? message.substring(0, message.indexOf(':')) : "limit";
			Object value = switch (attribute) {
				case "capacity" -> annotation.capacity();
				case "window" -> annotation.window();
				case "refill-rate" -> annotation.refillRate();
				default -> annotation.limit();
			};
			throw new InvalidRedisPatternsPropertyException(site + " (" + attribute + ")", value,
					message.substring(message.indexOf(':') + 1).trim());
		}
	}

	private String resolve(String value) {
		return this.values.resolve(value).trim();
	}

	private void keySource(String spec, String property) {
		try {
			this.keySources.forSpec(spec);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidRedisPatternsPropertyException(property, spec,
					KeySources.ALLOWED + " (" + ex.getMessage() + ")");
		}
	}

	/**
	 * Checks that a policy about to replace a running one (a configuration refresh) can serve
	 * every place that uses it: its key specification resolves, and no bound {@code @RateLimited}
	 * annotation asks for a cost above its limit.
	 * @param policy the new version of a policy
	 * @throws InvalidRedisPatternsPropertyException naming the property that is not usable
	 */
	public void validateReplacement(RateLimitPolicy policy) {
		String property = POLICIES_PROPERTY + "." + policy.name() + ".";
		keySource(policy.key(), property + "key");
		long highest = 0;
		for (List<Bound> limits : this.bound.values()) {
			for (Bound limit : limits) {
				if (limit.policy().equals(policy.name())) {
					highest = Math.max(highest, limit.cost());
				}
			}
		}
		if (highest > policy.limit()) {
			String limitName = (policy.algorithm() == RateLimitAlgorithm.TOKEN_BUCKET) ? "capacity" : "limit";
			throw new InvalidRedisPatternsPropertyException(property + limitName, policy.limit(),
					"at least " + highest + ", the cost a @RateLimited annotation using the policy asks for");
		}
	}

	/**
	 * Checks one trusted-proxy entry; same as {@link ClientAddressResolver#validate(String)}.
	 * @param cidr an IP address or CIDR block
	 * @return what is wrong, or {@code null} when usable
	 */
	public static @Nullable String trustedProxyProblem(String cidr) {
		return ClientAddressResolver.validate(cidr);
	}

	RateLimiter limiter() {
		return this.limiter;
	}

}
