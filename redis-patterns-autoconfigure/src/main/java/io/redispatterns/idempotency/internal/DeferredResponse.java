package io.redispatterns.idempotency.internal;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * A response that passes through to the container until a request claims an idempotency key;
 * from then on it is buffered, so that it can be stored before the client sees it. Responses of
 * handlers that are not idempotent (or requests that replay, or are refused) are never buffered,
 * so streaming endpoints keep streaming even when a client sends the header.
 */
final class DeferredResponse extends HttpServletResponseWrapper {

	private @Nullable ContentCachingResponseWrapper buffer;

	DeferredResponse(HttpServletResponse response) {
		super(response);
	}

	/** Buffers everything written from now on; the status and headers set so far are kept. */
	void startBuffering() {
		if (this.buffer == null) {
			this.buffer = new ContentCachingResponseWrapper((HttpServletResponse) getResponse());
			setResponse(this.buffer);
		}
	}

	/**
	 * Returns the buffer, when buffering started.
	 * @return the buffer, or {@code null}
	 */
	@Nullable ContentCachingResponseWrapper buffer() {
		return this.buffer;
	}

}
