package io.redispatterns.responsecache.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.responsecache.CachedResponse;
import io.redispatterns.responsecache.ResponseCacheMetrics;
import io.redispatterns.responsecache.ResponseCacheMetrics.Result;
import io.redispatterns.responsecache.ResponseCachePolicy;
import io.redispatterns.responsecache.ResponseCacheSettings;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers cacheable {@code GET} requests from the cache, with {@code 304 Not Modified} when the
 * client's {@code If-None-Match} names the stored {@code ETag}, and stores the handler's response
 * on a miss. A miss runs the handler through {@link CacheTemplate#getOrLoad}, so one request per
 * key runs it across instances while the others wait for the stored response (and an invalidation
 * during the run drops its result). Which requests are cacheable is decided by
 * {@link CachedResponse @CachedResponse} on the handler, else by the configured routes; this class
 * decides whether a matched request may use the cache at all, {@link ResponseCacheExchange} runs it.
 * <p>
 * The auto-configuration registers it at {@code redis-patterns.response-cache.filter-order}
 * (by default {@code ResponseCacheProperties.DEFAULT_FILTER_ORDER}): after Spring Security and
 * Spring Session (so the principal is known), before filters without an order.
 * <p>
 * Redis never fails a request here: the cache runs the handler when Redis fails (at once while
 * its circuit breaker is open, which is counted as bypassed), and any other cache error before the
 * handler ran also lets the handler answer.
 */
public class ResponseCacheFilter extends OncePerRequestFilter implements SmartInitializingSingleton, Ordered {

	private final CacheTemplate cache;

	private final ResponseCacheSettings settings;

	private final ResponseCacheMetrics metrics;

	private final BooleanSupplier cacheAvailable;

	private final ApplicationContext context;

	private final ResponseCachePolicies policies;

	private int order = Ordered.LOWEST_PRECEDENCE;

	private final RateLimitedLogger failureLog = new RateLimitedLogger(LogFactory.getLog(ResponseCacheFilter.class),
			Duration.ofSeconds(10));

	/**
	 * Creates the filter.
	 * @param cache the cache that holds the responses
	 * @param settings the configured settings
	 * @param metrics where outcomes are counted
	 * @param cacheAvailable tells whether the cache can reach Redis now ({@code false} while its
	 * circuit breaker is open)
	 * @param context holds the handler mappings whose annotations are read at start-up
	 */
	public ResponseCacheFilter(CacheTemplate cache, ResponseCacheSettings settings, ResponseCacheMetrics metrics,
			BooleanSupplier cacheAvailable, ApplicationContext context) {
		this.cache = cache;
		this.settings = settings;
		this.metrics = metrics;
		this.cacheAvailable = cacheAvailable;
		this.context = context;
		this.policies = new ResponseCachePolicies(settings, maxTtl(cache, settings.cacheName()));
	}

	/** The longest TTL a response may have: the TTL of the cache that holds them. */
	private static Duration maxTtl(CacheTemplate cache, String cacheName) {
		return cache.settings(cacheName).ttl();
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.policies.scan(this.context);
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	/**
	 * Sets the order of the filter.
	 * @param order the order
	 */
	public void setOrder(int order) {
		this.order = order;
	}

	/**
	 * Describes the annotated handlers, for the Actuator endpoint.
	 * @return each handler ({@code Controller.method}) with its TTL, vary and tags
	 */
	public Map<String, String> describeHandlers() {
		return this.policies.describeHandlers();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"GET".equals(request.getMethod());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ResponseCachePolicies.Match match = this.policies.match(request);
		if (match == null) {
			chain.doFilter(request, response);
			return;
		}
		if (!credentialsAllowed(request, match.policy())) {
			bypass(match.route(), "credentials");
			chain.doFilter(request, response);
			return;
		}
		new ResponseCacheExchange(this, request, response, chain, match).run();
	}

	/**
	 * A request with credentials is cached only when the key covers them: the principal, or the
	 * header that carries them.
	 */
	private static boolean credentialsAllowed(HttpServletRequest request, ResponseCachePolicy policy) {
		boolean authorization = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
		boolean principal = request.getUserPrincipal() != null;
		if (policy.varyPrincipal()) {
			// credentials the application did not turn into a principal must not share the anonymous entry
			return !authorization || principal;
		}
		boolean cookie = request.getHeader(HttpHeaders.COOKIE) != null || request.getRequestedSessionId() != null;
		if (authorization && !policy.varies(HttpHeaders.AUTHORIZATION)) {
			return false;
		}
		if (cookie && !policy.varies(HttpHeaders.COOKIE)) {
			return false;
		}
		if (!cookie && !authorization && request.getSession(false) != null) {
			return false;
		}
		return !principal || authorization || cookie;
	}

	/** Counts a request the handler answered without the cache. */
	void bypass(String route, String reason) {
		this.metrics.request(route, Result.BYPASSED);
		this.metrics.bypassed(route, reason);
	}

	CacheTemplate cache() {
		return this.cache;
	}

	ResponseCacheSettings settings() {
		return this.settings;
	}

	ResponseCacheMetrics metrics() {
		return this.metrics;
	}

	/** Whether the cache can reach Redis now ({@code false} while its circuit breaker is open). */
	boolean cacheAvailable() {
		return this.cacheAvailable.getAsBoolean();
	}

	/** Shared by all requests, so that a Redis outage logs a line every few seconds, not one per request. */
	RateLimitedLogger failureLog() {
		return this.failureLog;
	}

}
