package io.redispatterns.responsecache.internal;

import java.io.IOException;
import java.util.Objects;

import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.responsecache.ResponseCacheMetrics;
import io.redispatterns.responsecache.ResponseCacheMetrics.Result;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * One cacheable request: looks its response up through {@link CacheTemplate#getOrLoad}, whose loader
 * runs the rest of the chain into a {@link CapturingResponse}, and answers with the stored or the
 * fresh response. The loader's outcomes that are not a response to store (the handler failed, or its
 * response may not be stored) leave {@code getOrLoad} as exceptions that carry the exchange whose
 * handler produced them: a request that waited for another's handler runs its own instead.
 */
final class ResponseCacheExchange {

	private final ResponseCacheFilter filter;

	private final HttpServletRequest request;

	private final HttpServletResponse response;

	private final FilterChain chain;

	private final ResponseCachePolicies.Match match;

	private final String key;

	private final ResponseSender sender;

	private final Thread thread = Thread.currentThread();

	private @Nullable CapturingResponse captured;

	ResponseCacheExchange(ResponseCacheFilter filter, HttpServletRequest request, HttpServletResponse response,
			FilterChain chain, ResponseCachePolicies.Match match) {
		this.filter = filter;
		this.request = request;
		this.response = response;
		this.chain = chain;
		this.match = match;
		this.key = ResponseKeys.of(request, match.policy());
		this.sender = new ResponseSender(request, response, match.policy());
	}

	void run() throws IOException, ServletException {
		String route = this.match.route();
		ResponseCacheMetrics metrics = this.filter.metrics();
		// still through the cache while its breaker is open: it runs the loader without touching
		// Redis, and only its calls let the breaker probe Redis again
		boolean unavailable = !this.filter.cacheAvailable();
		StoredResponse stored;
		try {
			stored = lookup();
			if (this.captured == null && stored.expired(System.currentTimeMillis())) {
				// stored for longer than this route's TTL (the TTL changed): drop it and load once more
				this.filter.cache().evict(this.filter.settings().cacheName(), this.key);
				stored = lookup();
			}
		}
		catch (HandlerFailure failure) {
			if (failure.exchange == this) {
				throw rethrow(failure.getCause());
			}
			// another request's handler failed while this one waited for it: run this one's own
			metrics.request(route, Result.MISS);
			this.chain.doFilter(this.request, this.response);
			return;
		}
		catch (NotStored notStored) {
			handlerAnswered(route, unavailable);
			if (notStored.exchange == this) {
				metrics.store(route, notStored.reason);
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
			this.filter.failureLog()
				.warn("Response cache of " + route + " failed before the handler ran; the handler answers: " + ex, null);
			this.filter.bypass(route, "cache-error");
			this.chain.doFilter(this.request, this.response);
			return;
		}
		if (this.captured != null) {
			handlerAnswered(route, unavailable);
			if (!unavailable) {
				metrics.store(route, "stored");
			}
			this.sender.sendFresh(stored);
		}
		else {
			this.sender.sendStored(stored, metrics, route);
		}
	}

	/** The handler answered: a miss, or a bypass while the cache's breaker is open. */
	private void handlerAnswered(String route, boolean unavailable) {
		if (unavailable) {
			this.filter.bypass(route, "redis-unavailable");
		}
		else {
			this.filter.metrics().request(route, Result.MISS);
		}
	}

	private StoredResponse lookup() {
		StoredResponse stored = this.filter.cache()
			.getOrLoad(this.filter.settings().cacheName(), this.key, StoredResponse.class, this.match.tags(), this::load);
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
		CapturingResponse capture = new CapturingResponse(this.response, this.filter.settings().maxBodySize());
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
		String reason = StorableResponses.unstorable(capture, this.request, this.match.policy());
		if (reason != null) {
			throw new NotStored(this, reason);
		}
		return StorableResponses.toStored(capture, this.filter.settings().storedHeaders(), this.match.policy());
	}

	/** Sends what the handler wrote, unchanged, when it was not stored. */
	private void sendKept() throws IOException {
		CapturingResponse capture = this.captured;
		if (capture != null && !this.request.isAsyncStarted()) {
			capture.passThrough();
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
