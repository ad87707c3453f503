package io.redispatterns.ratelimit.internal;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitExceededException;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RateLimited;
import io.redispatterns.ratelimit.RateLimiterUnavailableException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.http.server.PathContainer;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * Applies {@link RateLimited} on Spring MVC handler methods and classes, and policies configured
 * with {@code paths}, before the handler runs. Allowed requests get the rate-limit headers; a
 * refusal throws {@link RateLimitExceededException} (429) or, with Redis down and a
 * {@code fail-closed} policy, {@link RateLimiterUnavailableException} (503), both with the
 * headers already set. At start-up every handler method's annotations are validated.
 * Registered by the auto-configuration.
 */
public class RateLimitedHandlerInterceptor implements HandlerInterceptor, SmartInitializingSingleton {

	private final RateLimitAnnotationSupport support;

	private final ApplicationContext applicationContext;

	private final RateLimitedLogger pathFailureLog = new RateLimitedLogger(
			LogFactory.getLog(RateLimitedHandlerInterceptor.class), Duration.ofSeconds(10));

	/** Parsed paths by policy name; replaced when the policy changes at runtime, so it never grows past the names. */
	private final Map<String, ParsedPaths> pathPatterns = new ConcurrentHashMap<>();

	/**
	 * Creates the interceptor and validates the policies' paths.
	 * @param support the shared support
	 * @param applicationContext the context whose handler mappings are validated at start-up
	 */
	public RateLimitedHandlerInterceptor(RateLimitAnnotationSupport support, ApplicationContext applicationContext) {
		this.support = support;
		this.applicationContext = applicationContext;
		for (RateLimitPolicy policy : support.limiter().policies()) {
			pathPatterns(policy);
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (RequestMappingHandlerMapping mapping : this.applicationContext
			.getBeansOfType(RequestMappingHandlerMapping.class)
			.values()) {
			for (HandlerMethod handlerMethod : mapping.getHandlerMethods().values()) {
				this.support.limitsFor(handlerMethod.getMethod(), handlerMethod.getBeanType());
			}
		}
	}

	@Override
	@SuppressWarnings("unchecked")
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (request.getDispatcherType() != DispatcherType.REQUEST) {
			return true;
		}
		List<RateLimitAnnotationSupport.Bound> limits = pathLimits(request);
		Method method = null;
		if (handler instanceof HandlerMethod handlerMethod) {
			method = handlerMethod.getMethod();
			List<RateLimitAnnotationSupport.Bound> annotated = this.support.limitsFor(method,
					handlerMethod.getBeanType());
			if (!annotated.isEmpty()) {
				limits = new ArrayList<>(limits);
				limits.addAll(annotated);
			}
		}
		if (limits.isEmpty()) {
			return true;
		}
		Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		Map<String, String> pathVariables = (variables instanceof Map<?, ?> map) ? (Map<String, String>) map
				: Map.of();
		RateLimitDecision decision = this.support.apply(limits, request, response, method, new Object[0],
				pathVariables);
		RateLimitAnnotationSupport.enforce(decision);
		return true;
	}

	private List<RateLimitAnnotationSupport.Bound> pathLimits(HttpServletRequest request) {
		List<RateLimitAnnotationSupport.Bound> limits = List.of();
		PathContainer path = null;
		for (RateLimitPolicy policy : this.support.limiter().policies()) {
			if (policy.paths().isEmpty()
					|| (!policy.methods().isEmpty() && !policy.methods().contains(request.getMethod()))) {
				continue;
			}
			if (path == null) {
				path = ServletRequestPathUtils.hasParsedRequestPath(request)
						? ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication()
						: PathContainer.parsePath(request.getRequestURI().substring(request.getContextPath().length()));
			}
			List<PathPattern> patterns;
			try {
				patterns = pathPatterns(policy);
			}
			catch (InvalidRedisPatternsPropertyException ex) {
				// a policy changed at runtime (RateLimiter#updatePolicy) with a bad path: skip it, never a 500
				this.pathFailureLog.warn("Rate-limit policy '" + policy.name() + "' not applied to paths: "
						+ ex.getMessage(), null);
				continue;
			}
			for (PathPattern pattern : patterns) {
				if (pattern.matches(path)) {
					if (limits.isEmpty()) {
						limits = new ArrayList<>();
					}
					limits.add(new RateLimitAnnotationSupport.Bound(policy.name(), null, 0));
					break;
				}
			}
		}
		return limits;
	}

	private List<PathPattern> pathPatterns(RateLimitPolicy policy) {
		return this.pathPatterns
			.compute(policy.name(), (name, cached) -> (cached != null && cached.policy() == policy) ? cached
					: new ParsedPaths(policy, parsePaths(policy)))
			.patterns();
	}

	private record ParsedPaths(RateLimitPolicy policy, List<PathPattern> patterns) {
	}

	/**
	 * Parses a policy's {@code paths}.
	 * @param policy the policy
	 * @return the patterns
	 * @throws InvalidRedisPatternsPropertyException naming the policy's {@code paths} property when
	 * one is not valid {@code PathPattern} syntax
	 */
	public static List<PathPattern> parsePaths(RateLimitPolicy policy) {
		List<PathPattern> patterns = new ArrayList<>();
		for (String path : policy.paths()) {
			try {
				patterns.add(PathPatternParser.defaultInstance.parse(path));
			}
			catch (PatternParseException ex) {
				throw new InvalidRedisPatternsPropertyException(
						RateLimitAnnotationSupport.POLICIES_PROPERTY + "." + policy.name() + ".paths", path,
						"Spring PathPattern syntax such as /api/** (" + ex.getMessage() + ")");
			}
		}
		return patterns;
	}

}
