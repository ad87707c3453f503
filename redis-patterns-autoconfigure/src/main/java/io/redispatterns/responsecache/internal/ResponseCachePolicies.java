package io.redispatterns.responsecache.internal;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.redispatterns.core.AnnotationValues;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.responsecache.CachedResponse;
import io.redispatterns.responsecache.ResponseCachePolicy;
import io.redispatterns.responsecache.ResponseCacheSettings;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.server.PathContainer;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Finds the policy of a request: the {@link CachedResponse @CachedResponse} of the handler Spring
 * MVC will pick (looked up the way the {@code DispatcherServlet} does, only for requests that match
 * an annotated mapping at all), else the first configured route whose pattern matches. Annotations
 * are read and validated once, at start-up.
 */
final class ResponseCachePolicies {

	private final ResponseCacheSettings settings;

	private final Duration maxTtl;

	private final Map<Method, ResponseCachePolicy> annotated = new LinkedHashMap<>();

	private final Map<String, String> described = new TreeMap<>();

	private final List<RequestMappingHandlerMapping> mappings = new ArrayList<>();

	private final List<RequestMappingInfo> annotatedMappings = new ArrayList<>();

	ResponseCachePolicies(ResponseCacheSettings settings, Duration maxTtl) {
		this.settings = settings;
		this.maxTtl = maxTtl;
	}

	/** Reads and validates every handler's annotation. */
	void scan(ApplicationContext context) {
		AnnotationValues values = AnnotationValues.of(context.getAutowireCapableBeanFactory());
		for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class)
			.values()) {
			boolean used = false;
			for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
				Method method = entry.getValue().getMethod();
				CachedResponse annotation = AnnotatedElementUtils.findMergedAnnotation(method, CachedResponse.class);
				if (annotation == null) {
					continue;
				}
				String where = "@CachedResponse on " + method.getDeclaringClass().getSimpleName() + "."
						+ method.getName();
				Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
				if (!methods.isEmpty() && !methods.contains(RequestMethod.GET)) {
					throw new InvalidRedisPatternsPropertyException(where, methods,
							"a handler mapped to GET (only GET responses are cached)");
				}
				ResponseCachePolicy policy = this.annotated.computeIfAbsent(method,
						(key) -> policy(annotation, values, where));
				this.described.put(method.getDeclaringClass().getSimpleName() + "." + method.getName(),
						"ttl=" + policy.ttl() + ", vary=" + policy.vary() + ", tags=" + policy.tags());
				this.annotatedMappings.add(entry.getKey());
				used = true;
			}
			if (used) {
				this.mappings.add(mapping);
			}
		}
	}

	private ResponseCachePolicy policy(CachedResponse annotation, AnnotationValues values, String where) {
		Duration ttl = values.duration(annotation.ttl(), "ttl", where);
		ttl = ResponseCachePolicy.checkTtl(where + " (ttl)", (ttl != null) ? ttl : this.settings.defaultTtl(), this.maxTtl,
				this.settings.cacheName());
		List<String> vary = Arrays.stream(annotation.vary()).map(values::resolve).map(String::trim).toList();
		ResponseCachePolicy.checkVary(where + " (vary)", vary);
		List<String> tags = Arrays.stream(annotation.tags()).map(values::resolve).map(String::trim)
			.filter((tag) -> !tag.isEmpty())
			.toList();
		String cacheControl = values.text(annotation.cacheControl());
		return new ResponseCachePolicy(ttl, vary, tags,
				(cacheControl != null) ? cacheControl : this.settings.cacheControl());
	}

	/** Describes the annotated handlers, for the Actuator endpoint. */
	Map<String, String> describeHandlers() {
		return Collections.unmodifiableMap(this.described);
	}

	/** The policy of a request, or {@code null} when its responses are not cached. */
	@Nullable Match match(HttpServletRequest request) {
		if (!this.annotatedMappings.isEmpty()) {
			Match match = annotatedMatch(request);
			if (match != null) {
				return match;
			}
		}
		if (this.settings.routes().isEmpty()) {
			return null;
		}
		String path = request.getRequestURI().substring(request.getContextPath().length());
		PathContainer container = PathContainer.parsePath(path);
		for (ResponseCacheSettings.Route route : this.settings.routes()) {
			PathPattern.PathMatchInfo info = route.pattern().matchAndExtract(container);
			if (info != null) {
				return new Match(route.pattern().getPatternString(), route.policy(),
						ResponseKeys.tags(route.policy().tags(), info.getUriVariables()));
			}
		}
		return null;
	}

	/**
	 * Looks the handler up as the {@code DispatcherServlet} will, and leaves the request's
	 * attributes as they were (the dispatcher parses the path and sets its own).
	 */
	@SuppressWarnings("unchecked")
	private @Nullable Match annotatedMatch(HttpServletRequest request) {
		Set<String> before = new HashSet<>(Collections.list(request.getAttributeNames()));
		Object previousPath = request.getAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
		try {
			ServletRequestPathUtils.parseAndCache(request);
			if (this.annotatedMappings.stream().noneMatch((info) -> info.getMatchingCondition(request) != null)) {
				return null;
			}
			for (RequestMappingHandlerMapping mapping : this.mappings) {
				HandlerExecutionChain chain = mapping.getHandler(request);
				if (chain == null) {
					continue;
				}
				if (!(chain.getHandler() instanceof HandlerMethod handler)) {
					return null;
				}
				ResponseCachePolicy policy = this.annotated.get(handler.getMethod());
				if (policy == null) {
					return null;
				}
				Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
				Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
				return new Match((pattern != null) ? pattern.toString() : handler.getShortLogMessage(), policy,
						ResponseKeys.tags(policy.tags(),
								(variables instanceof Map<?, ?> map) ? (Map<String, String>) map : Map.of()));
			}
			return null;
		}
		catch (Exception ex) {
			// no handler accepts it (method, media type): the dispatcher answers with its own error
			return null;
		}
		finally {
			for (String name : Collections.list(request.getAttributeNames())) {
				if (!before.contains(name)) {
					request.removeAttribute(name);
				}
			}
			if (previousPath != null) {
				request.setAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE, previousPath);
			}
		}
	}

	/**
	 * The policy that applies to a request.
	 *
	 * @param route the handler's or route's URL pattern (a low-cardinality metric tag)
	 * @param policy the policy
	 * @param tags the tags of this request's response, path variables filled in
	 */
	record Match(String route, ResponseCachePolicy policy, List<String> tags) {
	}

}
