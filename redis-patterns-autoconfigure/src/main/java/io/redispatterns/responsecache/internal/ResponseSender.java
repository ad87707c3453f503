package io.redispatterns.responsecache.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.redispatterns.responsecache.ResponseCacheMetrics;
import io.redispatterns.responsecache.ResponseCacheMetrics.Result;
import io.redispatterns.responsecache.ResponseCachePolicy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;

/**
 * Writes a stored response to the client of one request: its headers, {@code ETag}, {@code Age}, the
 * caching headers of the policy, and the body or {@code 304 Not Modified}.
 */
final class ResponseSender {

	private final HttpServletRequest request;

	private final HttpServletResponse response;

	private final ResponseCachePolicy policy;

	ResponseSender(HttpServletRequest request, HttpServletResponse response, ResponseCachePolicy policy) {
		this.request = request;
		this.response = response;
		this.policy = policy;
	}

	/** The handler ran and its response was stored: tag it and send it (or 304). */
	void sendFresh(StoredResponse stored) throws IOException {
		this.response.setHeader(HttpHeaders.ETAG, stored.etag());
		addCachingHeaders();
		if (EntityTags.matches(this.request.getHeader(HttpHeaders.IF_NONE_MATCH), stored.etag())) {
			this.response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return;
		}
		writeBody(stored.body());
	}

	/** The response comes from the cache: the handler did not run. */
	void sendStored(StoredResponse stored, ResponseCacheMetrics metrics, String route) throws IOException {
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
			metrics.request(route, Result.NOT_MODIFIED);
			this.response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return;
		}
		metrics.request(route, Result.HIT);
		this.response.setStatus(stored.status());
		if (stored.contentType() != null) {
			this.response.setContentType(stored.contentType());
		}
		writeBody(stored.body());
	}

	private void addCachingHeaders() {
		if (!this.response.containsHeader(HttpHeaders.CACHE_CONTROL) && !this.policy.cacheControl().isEmpty()) {
			String cacheControl = this.policy.cacheControl();
			boolean personal = this.policy.varyPrincipal() || this.policy.varies(HttpHeaders.AUTHORIZATION)
					|| this.policy.varies(HttpHeaders.COOKIE);
			if (personal && !cacheControl.toLowerCase(Locale.ROOT).contains("private")) {
				// a shared cache between client and server must not hand one user's response to another
				cacheControl = "private, " + cacheControl;
			}
			this.response.setHeader(HttpHeaders.CACHE_CONTROL, cacheControl);
		}
		if (!this.response.containsHeader(HttpHeaders.VARY)) {
			List<String> vary = new ArrayList<>();
			vary.add(HttpHeaders.ACCEPT);
			vary.addAll(this.policy.varyHeaders());
			this.response.setHeader(HttpHeaders.VARY, String.join(", ", vary));
		}
	}

	private void writeBody(byte[] body) throws IOException {
		this.response.setContentLength(body.length);
		if (body.length > 0) {
			this.response.getOutputStream().write(body);
		}
	}

}
