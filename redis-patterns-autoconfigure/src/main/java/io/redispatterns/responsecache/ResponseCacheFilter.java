package io.redispatterns.responsecache;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.responsecache.ResponseCacheMetrics.Result;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

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
 * {@link CachedResponse @CachedResponse} on the handler, else by the configured routes.
 * <p>
 * Registered by the auto-configuration at {@link #DEFAULT_ORDER}: after Spring Security and
 * Spring Session (so the principal is known), before filters without an order. A filter that must
 * see every request, including the ones this filter answers from the cache, takes a lower order.
 * <p>
 * Redis never fails a request here: the cache runs the handler when Redis fails (at once while
 * its circuit breaker is open, which is counted as bypassed), and any other cache error before the
 * handler ran also lets the handler answer.
 */
public class ResponseCacheFilter extends OncePerRequestFilter implements SmartInitializingSingleton, Ordered {

	/**
	 * The order the auto-configuration registers the filter with: late, after security and session
	 * filters ({@code -100} and below), before filters registered without an order.
	 */
	public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private final CacheTemplate cache;

	private final ResponseCacheSettings settings;

	private final ResponseCacheMetrics metrics;

	private final BooleanSupplier cacheAvailable;

	private final ApplicationContext context;

	private final ResponseCachePolicies policies;

	private int order = DEFAULT_ORDER;

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
		new Exchange(request, response, chain, match).run();
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

	private void bypass(String route, String reason) {
		this.metrics.request(route, Result.BYPASSED);
		this.metrics.bypassed(route, reason);
	}

	/** One cacheable request. */
	private final class Exchange {

		private final HttpServletRequest request;

		private final HttpServletResponse response;

		private final FilterChain chain;

		private final ResponseCachePolicies.Match match;

		private final String key;

		private final Thread thread = Thread.currentThread();

		private @Nullable CapturingResponse captured;

		Exchange(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
				ResponseCachePolicies.Match match) {
			this.request = request;
			this.response = response;
			this.chain = chain;
			this.match = match;
			this.key = ResponseKeys.of(request, match.policy());
		}

		void run() throws IOException, ServletException {
			String route = this.match.route();
			// still through the cache while its breaker is open: it runs the loader without touching
			// Redis, and only its calls let the breaker probe Redis again
			boolean unavailable = !ResponseCacheFilter.this.cacheAvailable.getAsBoolean();
			StoredResponse stored;
			try {
				stored = lookup();
				if (this.captured == null && stored.expired(System.currentTimeMillis())) {
					// stored for longer than this route's TTL (the TTL changed): drop it and load once more
					ResponseCacheFilter.this.cache.evict(ResponseCacheFilter.this.settings.cacheName(), this.key);
					stored = lookup();
				}
			}
			catch (HandlerFailure failure) {
				if (failure.exchange == this) {
					throw rethrow(failure.getCause());
				}
				// another request's handler failed while this one waited for it: run this one's own
				ResponseCacheFilter.this.metrics.request(route, Result.MISS);
				this.chain.doFilter(this.request, this.response);
				return;
			}
			catch (NotStored notStored) {
				handlerAnswered(route, unavailable);
				if (notStored.exchange == this) {
					ResponseCacheFilter.this.metrics.store(route, notStored.reason);
					sendKept();
				}
				else {
					this.chain.doFilter(this.request, this.response);
				}
				return;
			}
			catch (RuntimeException ex) {
				if (this.captured != null) {
					// the handler ran: its response goes out whatever the cache made of it
					handlerAnswered(route, unavailable);
					sendKept();
					return;
				}
				ResponseCacheFilter.this.failureLog.warn("Response cache of " + route
						+ " failed before the handler ran; the handler answers: " + ex, null);
				bypass(route, "cache-error");
				this.chain.doFilter(this.request, this.response);
				return;
			}
			if (this.captured != null) {
				handlerAnswered(route, unavailable);
				if (!unavailable) {
					ResponseCacheFilter.this.metrics.store(route, "stored");
				}
				sendFresh(stored);
			}
			else {
				sendStored(stored);
			}
		}

		/** The handler answered: a miss, or a bypass while the cache's breaker is open. */
		private void handlerAnswered(String route, boolean unavailable) {
			if (unavailable) {
				bypass(route, "redis-unavailable");
			}
			else {
				ResponseCacheFilter.this.metrics.request(route, Result.MISS);
			}
		}

		private StoredResponse lookup() {
			StoredResponse stored = ResponseCacheFilter.this.cache.getOrLoad(
					ResponseCacheFilter.this.settings.cacheName(), this.key, StoredResponse.class, this.match.tags(),
					this::load);
			if (stored == null) {
				throw new IllegalStateException("The response cache found a null entry");
			}
			return stored;
		}

		/** The loader: runs the rest of the chain into a capturing response. */
		private StoredResponse load() {
			if (Thread.currentThread() != this.thread || this.captured != null) {
				// a background refresh (stale-while-revalidate) has no request to run
				throw new IllegalStateException("A response can only be loaded by its own request");
			}
			CapturingResponse capture = new CapturingResponse(this.response,
					ResponseCacheFilter.this.settings.maxBodySize());
			this.captured = capture;
			try {
				this.chain.doFilter(this.request, capture);
				if (this.request.isAsyncStarted()) {
					capture.passThrough();
					throw new NotStored(this, "async");
				}
			}
			catch (IOException | ServletException | RuntimeException | Error ex) {
				if (ex instanceof NotStored) {
					throw (NotStored) ex;
				}
				throw new HandlerFailure(this, ex);
			}
			String reason = unstorable(capture);
			if (reason != null) {
				throw new NotStored(this, reason);
			}
			byte[] body = capture.body();
			String contentType = capture.getContentType();
			String etag = capture.getHeader(HttpHeaders.ETAG);
			long now = System.currentTimeMillis();
			return new StoredResponse(capture.getStatus(), contentType, storedHeaders(capture), body,
					(etag != null) ? etag : EntityTags.of(contentType, body), now,
					now + this.match.policy().ttl().toMillis());
		}

		private @Nullable String unstorable(CapturingResponse capture) {
			if (capture.overflowed()) {
				return "too-large";
			}
			int status = capture.getStatus();
			if (status < 200 || status >= 300 || status == 206) {
				return "status";
			}
			if (capture.containsHeader(HttpHeaders.SET_COOKIE)) {
				return "set-cookie";
			}
			String cacheControl = capture.getHeader(HttpHeaders.CACHE_CONTROL);
			if (cacheControl != null) {
				String lower = cacheControl.toLowerCase(Locale.ROOT);
				if (lower.contains("no-store") || (lower.contains("private") && !this.match.policy().varyPrincipal())) {
					return "no-store";
				}
			}
			HttpSession session = this.request.getSession(false);
			if (session != null && session.isNew()) {
				return "session";
			}
			return null;
		}

		private Map<String, List<String>> storedHeaders(HttpServletResponse capture) {
			Map<String, List<String>> headers = new LinkedHashMap<>();
			for (String name : ResponseCacheFilter.this.settings.storedHeaders()) {
				List<String> values = new ArrayList<>(capture.getHeaders(name));
				if (!values.isEmpty()) {
					headers.put(name, values);
				}
			}
			return headers;
		}

		/** The handler ran and its response was stored: tag it and send it (or 304). */
		private void sendFresh(StoredResponse stored) throws IOException {
			this.response.setHeader(HttpHeaders.ETAG, stored.etag());
			addCachingHeaders();
			if (EntityTags.matches(this.request.getHeader(HttpHeaders.IF_NONE_MATCH), stored.etag())) {
				this.response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
				return;
			}
			writeBody(stored.body());
		}

		/** The response comes from the cache: the handler did not run. */
		private void sendStored(StoredResponse stored) throws IOException {
			stored.headers().forEach((name, values) -> {
				for (int i = 0; i < values.size(); i++) {
					if (i == 0) {
						this.response.setHeader(name, values.get(i));
					}
					else {
						this.response.addHeader(name, values.get(i));
					}
				}
			});
			this.response.setHeader(HttpHeaders.ETAG, stored.etag());
			this.response.setHeader(HttpHeaders.AGE, Long.toString(stored.ageSeconds(System.currentTimeMillis())));
			addCachingHeaders();
			if (EntityTags.matches(this.request.getHeader(HttpHeaders.IF_NONE_MATCH), stored.etag())) {
				ResponseCacheFilter.this.metrics.request(this.match.route(), Result.NOT_MODIFIED);
				this.response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
				return;
			}
			ResponseCacheFilter.this.metrics.request(this.match.route(), Result.HIT);
			this.response.setStatus(stored.status());
			if (stored.contentType() != null) {
				this.response.setContentType(stored.contentType());
			}
			writeBody(stored.body());
		}

		private void addCachingHeaders() {
			ResponseCachePolicy policy = this.match.policy();
			if (!this.response.containsHeader(HttpHeaders.CACHE_CONTROL) && !policy.cacheControl().isEmpty()) {
				String cacheControl = policy.cacheControl();
				boolean personal = policy.varyPrincipal() || policy.varies(HttpHeaders.AUTHORIZATION)
						|| policy.varies(HttpHeaders.COOKIE);
				if (personal && !cacheControl.toLowerCase(Locale.ROOT).contains("private")) {
					// a shared cache between client and server must not hand one user's response to another
					cacheControl = "private, " + cacheControl;
				}
				this.response.setHeader(HttpHeaders.CACHE_CONTROL, cacheControl);
			}
			if (!this.response.containsHeader(HttpHeaders.VARY)) {
				List<String> vary = new ArrayList<>();
				vary.add(HttpHeaders.ACCEPT);
				vary.addAll(policy.varyHeaders());
				this.response.setHeader(HttpHeaders.VARY, String.join(", ", vary));
			}
		}

		private void writeBody(byte[] body) throws IOException {
			this.response.setContentLength(body.length);
			if (body.length > 0) {
				this.response.getOutputStream().write(body);
			}
		}

		/** Sends what the handler wrote, unchanged, when it was not stored. */
		private void sendKept() throws IOException {
			CapturingResponse capture = this.captured;
			if (capture != null && !this.request.isAsyncStarted()) {
				capture.passThrough();
			}
		}

	}

	private static IOException rethrow(Throwable failure) throws ServletException {
		if (failure instanceof IOException io) {
			return io;
		}
		if (failure instanceof ServletException servlet) {
			throw servlet;
		}
		if (failure instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (failure instanceof Error error) {
			throw error;
		}
		throw new ServletException(failure);
	}

	/** The handler's response may not be stored; carries the request whose handler produced it. */
	static final class NotStored extends RuntimeException {

		private final transient Object exchange;

		private final String reason;

		NotStored(Object exchange, String reason) {
			super("Response not stored: " + reason, null, false, false);
			this.exchange = exchange;
			this.reason = reason;
		}

	}

	/** The handler failed; carries the request whose handler it was. */
	static final class HandlerFailure extends RuntimeException {

		private final transient Object exchange;

		HandlerFailure(Object exchange, Throwable cause) {
			super(cause.getMessage(), cause, false, false);
			this.exchange = exchange;
		}

		/** The handler's throwable: never null, the only constructor takes it. */
		@Override
		public synchronized Throwable getCause() {
			return Objects.requireNonNull(super.getCause());
		}

	}

}
