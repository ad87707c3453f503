package io.redispatterns.idempotency.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.idempotency.IdempotencyMetrics;
import io.redispatterns.idempotency.IdempotencySettings;
import io.redispatterns.idempotency.IdempotencyStore;
import io.redispatterns.idempotency.Idempotent;
import io.redispatterns.idempotency.StoredResponse;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.springframework.web.util.WebUtils;

/**
 * The servlet half of {@link Idempotent @Idempotent}: for requests that carry the idempotency key
 * header it lets the request body be read twice (buffered only when the handler is idempotent,
 * for the fingerprint) and, once the request claimed a key, buffers the response. After the
 * handler it stores the response (status below 500) or releases the key (5xx, exception), and
 * only then sends the response, so a client that saw a response always finds it stored. Async
 * handlers are finished on their last dispatch. Registered by the auto-configuration.
 */
public class IdempotencyFilter extends OncePerRequestFilter {

	private final IdempotencyStore store;

	private final IdempotencySettings settings;

	private final IdempotencyMetrics metrics;

	private final RateLimitedLogger failureLog = new RateLimitedLogger(LogFactory.getLog(IdempotencyFilter.class),
			Duration.ofSeconds(10));

	/**
	 * Creates the filter.
	 * @param store the records in Redis
	 * @param settings the configured settings
	 * @param metrics where store failures are counted
	 */
	public IdempotencyFilter(IdempotencyStore store, IdempotencySettings settings, IdempotencyMetrics metrics) {
		this.store = store;
		this.settings = settings;
		this.metrics = metrics;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getHeader(this.settings.headerName()) == null;
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		HttpServletRequest bufferedRequest = (WebUtils.getNativeRequest(request, BufferedBodyRequest.class) != null)
				? request : new BufferedBodyRequest(request);
		DeferredResponse deferredResponse = WebUtils.getNativeResponse(response, DeferredResponse.class);
		HttpServletResponse chainResponse = (deferredResponse != null) ? response
				: (deferredResponse = new DeferredResponse(response));
		try {
			chain.doFilter(bufferedRequest, chainResponse);
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			IdempotentExchange exchange = IdempotencyHandlerInterceptor.exchange(bufferedRequest);
			if (exchange != null) {
				bufferedRequest.removeAttribute(IdempotentExchange.ATTRIBUTE);
				exchange.stopRenewal();
				release(exchange);
			}
			throw ex;
		}
		if (isAsyncStarted(bufferedRequest)) {
			return;
		}
		IdempotentExchange exchange = IdempotencyHandlerInterceptor.exchange(bufferedRequest);
		ContentCachingResponseWrapper buffer = deferredResponse.buffer();
		if (exchange != null) {
			bufferedRequest.removeAttribute(IdempotentExchange.ATTRIBUTE);
			exchange.stopRenewal();
			if (buffer != null) {
				finish(exchange, buffer);
			}
			else {
				release(exchange);
			}
		}
		if (buffer != null) {
			buffer.copyBodyToResponse();
		}
	}

	private void finish(IdempotentExchange exchange, ContentCachingResponseWrapper response) {
		int status = response.getStatus();
		if (status >= 500) {
			// not a completed outcome: the next retry runs the handler again
			release(exchange);
			return;
		}
		byte[] body = response.getContentAsByteArray();
		boolean omitted = body.length > this.settings.maxBodySize();
		StoredResponse stored = new StoredResponse(status, keptHeaders(response, omitted), omitted ? new byte[0] : body,
				omitted);
		try {
			if (!this.store.complete(exchange.key(), exchange.token(), stored, exchange.ttl())) {
				this.metrics.storeFailed(exchange.name());
				this.failureLog.warn("Response of idempotent '" + exchange.name() + "' not stored: its in-progress"
						+ " marker was gone (not renewed within the lease of " + this.settings.lease() + ")", null);
			}
		}
		catch (RuntimeException ex) {
			// the handler's work is done: its response goes out even when it cannot be stored
			this.metrics.storeFailed(exchange.name());
			this.failureLog.warn("Response of idempotent '" + exchange.name() + "' not stored; a retry after the lease ("
					+ this.settings.lease() + ") runs the handler again: " + ex.getMessage(), null);
		}
	}

	private void release(IdempotentExchange exchange) {
		try {
			this.store.release(exchange.key(), exchange.token());
		}
		catch (RuntimeException ex) {
			// the handler's work is done: its response goes out even when it cannot be stored
			this.metrics.storeFailed(exchange.name());
			this.failureLog.warn("Idempotency key of '" + exchange.name() + "' not released; it stays in progress"
					+ " until its lease (" + this.settings.lease() + ") ends: " + ex.getMessage(), null);
		}
	}

	private List<Map.Entry<String, String>> keptHeaders(HttpServletResponse response, boolean bodyOmitted) {
		List<Map.Entry<String, String>> kept = new ArrayList<>();
		String contentType = response.getContentType();
		if (contentType != null && !bodyOmitted) {
			kept.add(Map.entry("Content-Type", contentType));
		}
		for (String name : this.settings.responseHeaders()) {
			for (String value : response.getHeaders(name)) {
				kept.add(Map.entry(name, value));
			}
		}
		return kept;
	}

}
