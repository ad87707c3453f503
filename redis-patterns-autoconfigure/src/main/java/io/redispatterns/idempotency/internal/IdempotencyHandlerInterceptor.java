package io.redispatterns.idempotency.internal;

import java.io.IOException;
import java.lang.reflect.Method;
import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.redispatterns.core.AnnotationValues;
import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.idempotency.ClaimResult;
import io.redispatterns.idempotency.IdempotencyException;
import io.redispatterns.idempotency.IdempotencyFailureMode;
import io.redispatterns.idempotency.IdempotencyKeyInUseException;
import io.redispatterns.idempotency.IdempotencyKeyMismatchException;
import io.redispatterns.idempotency.IdempotencyKeyMissingException;
import io.redispatterns.idempotency.IdempotencyMetrics;
import io.redispatterns.idempotency.IdempotencySettings;
import io.redispatterns.idempotency.IdempotencyStore;
import io.redispatterns.idempotency.IdempotencyUnavailableException;
import io.redispatterns.idempotency.Idempotent;
import io.redispatterns.idempotency.MissingKeyBehavior;
import io.redispatterns.idempotency.StoredResponse;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.WebUtils;

/**
 * Applies {@link Idempotent @Idempotent} before the handler runs: claims the request's key in
 * Redis (one script), replays a stored response, waits for a running duplicate, or refuses with
 * an {@link IdempotencyException}. Works with {@link IdempotencyFilter}, which buffers the body
 * for the fingerprint and stores the response after the handler. At start-up every handler
 * method's annotation is validated. Registered by the auto-configuration, after other
 * interceptors, so that a request refused by them (a rate limit's 429) never claims a key.
 */
public class IdempotencyHandlerInterceptor
		implements HandlerInterceptor, SmartInitializingSingleton, DisposableBean {

	static final String KEY_PATTERN = "idem";

	private static final int MAX_KEY_LENGTH = 255;

	private static final long FIRST_POLL_MILLIS = 20;

	private static final long MAX_POLL_MILLIS = 200;

	private final IdempotencyStore store;

	private final RedisKeys keys;

	private final IdempotencySettings settings;

	private final IdempotencyMetrics metrics;

	private final AnnotationValues values;

	private final ApplicationContext applicationContext;

	private final RateLimitedLogger failureLog = new RateLimitedLogger(
			LogFactory.getLog(IdempotencyHandlerInterceptor.class), Duration.ofSeconds(10));

	private final Map<HandlerKey, Optional<IdempotentHandler>> handlers = new ConcurrentHashMap<>();

	/** Renews the in-progress markers of running requests every third of the lease. */
	private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "idempotency-lease-renewal");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Creates the interceptor.
	 * @param store the records in Redis
	 * @param keys the key builder
	 * @param settings the configured settings
	 * @param metrics where outcomes are counted
	 * @param applicationContext resolves placeholders and holds the handler mappings validated at
	 * start-up
	 */
	public IdempotencyHandlerInterceptor(IdempotencyStore store, RedisKeys keys, IdempotencySettings settings,
			IdempotencyMetrics metrics, ApplicationContext applicationContext) {
		this.store = store;
		this.keys = keys;
		this.settings = settings;
		this.metrics = metrics;
		this.applicationContext = applicationContext;
		this.values = AnnotationValues.of(applicationContext.getAutowireCapableBeanFactory());
	}

	@Override
	public void destroy() {
		this.renewals.shutdownNow();
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (RequestMappingHandlerMapping mapping : this.applicationContext
			.getBeansOfType(RequestMappingHandlerMapping.class)
			.values()) {
			for (HandlerMethod handlerMethod : mapping.getHandlerMethods().values()) {
				// meters at zero from start-up, so that dashboards and alerts work before the first request
				handlerFor(handlerMethod).ifPresent((idempotent) -> this.metrics.register(idempotent.name()));
			}
		}
	}

	/**
	 * Describes the {@code @Idempotent} handlers, for the Actuator endpoint.
	 * @return each idempotent handler method ({@code Controller.method}) with its name, ttl and
	 * missing-key behaviour
	 */
	public Map<String, String> describeHandlers() {
		Map<String, String> described = new TreeMap<>();
		this.handlers.forEach((key, handler) -> handler.ifPresent((resolved) -> described.put(
				key.beanType().getSimpleName() + "." + key.method().getName(),
				"name=" + resolved.name() + ", ttl=" + resolved.ttl() + ", missingKey=" + resolved.missingKey().value())));
		return described;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws IOException {
		if (request.getDispatcherType() != DispatcherType.REQUEST || !(handler instanceof HandlerMethod method)) {
			return true;
		}
		IdempotentHandler idempotent = handlerFor(method).orElse(null);
		if (idempotent == null) {
			return true;
		}
		String key = request.getHeader(this.settings.headerName());
		if (key == null) {
			if (idempotent.missingKey() == MissingKeyBehavior.REJECT) {
				throw new IdempotencyKeyMissingException(
						"This request needs an '" + this.settings.headerName() + "' header.");
			}
			return true;
		}
		key = unquote(key);
		validate(key);
		BufferedBodyRequest buffered = WebUtils.getNativeRequest(request, BufferedBodyRequest.class);
		if (buffered == null) {
			throw new IllegalStateException("@Idempotent needs the IdempotencyFilter in front of the DispatcherServlet"
					+ " (registered by the auto-configuration; add it to a MockMvc built by hand)");
		}
		String fingerprint = RequestFingerprint.of(request,
				RequestFingerprint.isForm(request) ? new byte[0] : buffered.body());
		String redisKey = this.keys.tagged(KEY_PATTERN, idempotent.name(), scope(request) + "/" + key);
		String token = UUID.randomUUID().toString();
		return claim(request, response, idempotent, redisKey, token, fingerprint);
	}

	private boolean claim(HttpServletRequest request, HttpServletResponse response, IdempotentHandler idempotent,
			String redisKey, String token, String fingerprint) throws IOException {
		long deadline = System.nanoTime() + this.settings.inProgressWait().toNanos();
		long poll = FIRST_POLL_MILLIS;
		while (true) {
			ClaimResult result;
			try {
				result = this.store.claim(redisKey, token, fingerprint, this.settings.lease());
			}
			catch (RuntimeException ex) {
				if (!RedisFailures.isRedisFault(ex)) {
					throw ex;
				}
				return unavailable(idempotent, ex);
			}
			if (result instanceof ClaimResult.Claimed) {
				DeferredResponse deferred = WebUtils.getNativeResponse(response, DeferredResponse.class);
				if (deferred != null) {
					deferred.startBuffering();
				}
				request.setAttribute(IdempotentExchange.ATTRIBUTE, new IdempotentExchange(idempotent.name(), redisKey,
						token, idempotent.ttl(), scheduleRenewal(idempotent.name(), redisKey, token)));
				this.metrics.request(idempotent.name(), IdempotencyMetrics.Outcome.FIRST);
				return true;
			}
			if (result instanceof ClaimResult.Completed completed) {
				this.metrics.request(idempotent.name(), IdempotencyMetrics.Outcome.REPLAYED);
				replay(completed.response(), response);
				return false;
			}
			if (result instanceof ClaimResult.Mismatch) {
				this.metrics.request(idempotent.name(), IdempotencyMetrics.Outcome.MISMATCH);
				throw new IdempotencyKeyMismatchException("This " + this.settings.headerName()
						+ " was already used for a different request; use a new key for a new request.");
			}
			long leaseMillis = ((ClaimResult.InProgress) result).leaseMillis();
			long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
			if (remainingMillis <= 0 || !sleep(Math.min(poll, remainingMillis))) {
				this.metrics.request(idempotent.name(), IdempotencyMetrics.Outcome.CONFLICT);
				throw new IdempotencyKeyInUseException("A request with this " + this.settings.headerName()
						+ " is still being processed (for at most " + leaseMillis
						+ " ms more); retry later to get its response.", 1);
			}
			poll = Math.min(poll * 2, MAX_POLL_MILLIS);
		}
	}

	/**
	 * Keeps the marker alive while the request runs, so a handler slower than the lease is not run
	 * a second time by a retry; a dead instance stops renewing and the lease ends.
	 */
	private Future<?> scheduleRenewal(String name, String redisKey, String token) {
		Duration lease = this.settings.lease();
		long period = Math.max(1, lease.toMillis() / 3);
		try {
			return this.renewals.scheduleAtFixedRate(() -> renew(name, redisKey, token, lease), period, period,
					TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// shutting down: the lease alone bounds the marker
			return CompletableFuture.completedFuture(null);
		}
	}

	private void renew(String name, String redisKey, String token, Duration lease) {
		boolean renewed;
		try {
			renewed = this.store.extend(redisKey, token, lease);
		}
		catch (RuntimeException ex) {
			this.failureLog.warn("In-progress marker of idempotent '" + name + "' not renewed: " + ex.getMessage(),
					null);
			return;
		}
		if (!renewed) {
			// completed, released or lost: an exception ends this periodic task
			throw new IllegalStateException("Idempotency marker no longer held");
		}
		this.metrics.leaseRenewed(name);
	}

	private boolean unavailable(IdempotentHandler idempotent, RuntimeException ex) {
		this.metrics.request(idempotent.name(), IdempotencyMetrics.Outcome.UNAVAILABLE);
		if (this.settings.failureMode() == IdempotencyFailureMode.FAIL_OPEN) {
			this.failureLog.warn("Idempotency key of '" + idempotent.name()
					+ "' not claimed, processing the request without protection (fail-open): " + ex.getMessage(), null);
			return true;
		}
		this.failureLog.warn("Idempotency key of '" + idempotent.name() + "' not claimed, answering 503 (fail-closed): "
				+ ex.getMessage(), null);
		throw new IdempotencyUnavailableException(
				"Idempotency keys cannot be checked right now; the request was not processed. Retry with the same key.",
				1, ex);
	}

	private void replay(StoredResponse stored, HttpServletResponse response) throws IOException {
		response.setStatus(stored.status());
		for (Map.Entry<String, String> header : stored.headers()) {
			if (header.getKey().equalsIgnoreCase("Content-Type")) {
				response.setContentType(header.getValue());
			}
			else {
				response.addHeader(header.getKey(), header.getValue());
			}
		}
		response.setHeader(IdempotencySettings.REPLAYED_HEADER, "true");
		if (stored.bodyOmitted()) {
			response.setHeader("Idempotent-Body-Omitted", "true");
		}
		response.getOutputStream().write(stored.body());
	}

	/**
	 * The IETF draft defines the header as a structured-field string ({@code "abc"}); many clients
	 * send the bare value ({@code abc}). Both name the same key.
	 */
	private static String unquote(String key) {
		String trimmed = key.trim();
		if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
			return trimmed.substring(1, trimmed.length() - 1);
		}
		return trimmed;
	}

	private void validate(String key) {
		boolean usable = !key.isBlank() && key.length() <= MAX_KEY_LENGTH;
		for (int i = 0; usable && i < key.length(); i++) {
			char c = key.charAt(i);
			usable = c >= 0x20 && c <= 0x7E;
		}
		if (!usable) {
			throw new IdempotencyKeyMissingException("The '" + this.settings.headerName()
					+ "' header must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters.");
		}
	}

	/** Keys of different principals never meet: the principal's name is part of the key, hashed. */
	private static String scope(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		return (principal != null) ? "u." + RequestFingerprint.sha256Hex(principal.getName(), 16) : "anonymous";
	}

	private Optional<IdempotentHandler> handlerFor(HandlerMethod handlerMethod) {
		HandlerKey key = new HandlerKey(handlerMethod.getBeanType(), handlerMethod.getMethod());
		return this.handlers.computeIfAbsent(key, (k) -> Optional
			.ofNullable(IdempotentHandler.resolve(k.method(), k.beanType(), this.values, this.settings)));
	}

	private static boolean sleep(long millis) {
		try {
			Thread.sleep(millis);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private record HandlerKey(Class<?> beanType, Method method) {
	}

	static @Nullable IdempotentExchange exchange(HttpServletRequest request) {
		return (IdempotentExchange) request.getAttribute(IdempotentExchange.ATTRIBUTE);
	}

}
