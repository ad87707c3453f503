package io.redispatterns.responsecache.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.redispatterns.responsecache.ResponseCachePolicy;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * Which responses a handler produced on a miss may be stored, and what of them is: the body, the
 * content type, the configured headers and an {@code ETag} (the handler's own, else a hash of the body).
 */
final class StorableResponses {

	private StorableResponses() {
	}

	/**
	 * Tells why a captured response may not be stored.
	 * @return the reason (a tag value of {@code redis.patterns.response.cache.stores}), or {@code null} when
	 * it may be stored
	 */
	static @Nullable String unstorable(CapturingResponse capture, HttpServletRequest request,
			ResponseCachePolicy policy) {
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
			if (lower.contains("no-store") || (lower.contains("private") && !policy.varyPrincipal())) {
				return "no-store";
			}
		}
		HttpSession session = request.getSession(false);
		if (session != null && session.isNew()) {
			return "session";
		}
		return null;
	}

	/** The stored form of a captured response, served until the policy's TTL has passed. */
	static StoredResponse toStored(CapturingResponse capture, List<String> storedHeaders, ResponseCachePolicy policy) {
		byte[] body = capture.body();
		String contentType = capture.getContentType();
		String etag = capture.getHeader(HttpHeaders.ETAG);
		long now = System.currentTimeMillis();
		return new StoredResponse(capture.getStatus(), contentType, headers(capture, storedHeaders), body,
				(etag != null) ? etag : EntityTags.of(contentType, body), now, now + policy.ttl().toMillis());
	}

	private static Map<String, List<String>> headers(HttpServletResponse capture, List<String> storedHeaders) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (String name : storedHeaders) {
			List<String> values = new ArrayList<>(capture.getHeaders(name));
			if (!values.isEmpty()) {
				headers.put(name, values);
			}
		}
		return headers;
	}

}
