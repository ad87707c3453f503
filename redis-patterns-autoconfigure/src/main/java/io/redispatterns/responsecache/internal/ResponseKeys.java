package io.redispatterns.responsecache.internal;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.redispatterns.responsecache.ResponseCachePolicy;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;

/**
 * Builds the cache key of a request: {@code GET <path>[?<query>] #<hash>}, the hash covering the
 * {@code Accept} header, the policy's vary headers and the principal's name (so credentials never
 * appear in Redis). The cache pattern escapes the key and replaces a long one by a digest
 * ({@code RedisKeys}), under the application's prefix.
 */
final class ResponseKeys {

	private ResponseKeys() {
	}

	static String of(HttpServletRequest request, ResponseCachePolicy policy) {
		StringBuilder varying = new StringBuilder();
		List<String> headers = new ArrayList<>(policy.varyHeaders());
		headers.add(HttpHeaders.ACCEPT);
		headers.replaceAll((name) -> name.toLowerCase(Locale.ROOT));
		Collections.sort(headers);
		for (String header : headers.stream().distinct().toList()) {
			varying.append(header).append('=');
			for (String value : Collections.list(request.getHeaders(header))) {
				varying.append(value).append('\u0000');
			}
			varying.append('\n');
		}
		if (policy.varyPrincipal()) {
			Principal principal = request.getUserPrincipal();
			varying.append("principal=").append((principal != null) ? "u:" + principal.getName() : "-");
		}
		String query = request.getQueryString();
		return request.getMethod() + " " + request.getRequestURI() + ((query != null) ? "?" + query : "") + " #"
				+ EntityTags.hash(varying.toString());
	}

	/** Replaces {@code {name}} in each tag by the path variable of that name. */
	static List<String> tags(List<String> templates, Map<String, String> variables) {
		if (templates.isEmpty() || variables.isEmpty()) {
			return templates;
		}
		List<String> tags = new ArrayList<>(templates.size());
		for (String template : templates) {
			String tag = template;
			for (Map.Entry<String, String> variable : variables.entrySet()) {
				tag = tag.replace("{" + variable.getKey() + "}", variable.getValue());
			}
			tags.add(tag);
		}
		return tags;
	}

}
