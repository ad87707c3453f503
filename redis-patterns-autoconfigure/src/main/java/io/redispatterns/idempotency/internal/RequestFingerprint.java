package io.redispatterns.idempotency.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;

/**
 * SHA-256 of what identifies a request: method, path, query string and body. Form posts are
 * fingerprinted from their sorted parameters, because the container parses their body.
 */
final class RequestFingerprint {

	private RequestFingerprint() {
	}

	static String of(HttpServletRequest request, byte[] body) {
		MessageDigest digest = sha256();
		update(digest, request.getMethod());
		update(digest, request.getRequestURI());
		update(digest, (request.getQueryString() != null) ? request.getQueryString() : "");
		if (isForm(request)) {
			for (Map.Entry<String, String[]> parameter : new TreeMap<>(request.getParameterMap()).entrySet()) {
				update(digest, parameter.getKey());
				update(digest, Arrays.toString(parameter.getValue()));
			}
		}
		else {
			digest.update(body);
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	static boolean isForm(HttpServletRequest request) {
		String contentType = request.getContentType();
		return contentType != null
				&& contentType.toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
	}

	static String sha256Hex(String text, int bytes) {
		byte[] hash = sha256().digest(text.getBytes(StandardCharsets.UTF_8));
		return HexFormat.of().formatHex(hash, 0, bytes);
	}

	private static void update(MessageDigest digest, String part) {
		byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
		// the length first, so that no two different (method, path, query) splits hash alike
		digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
		digest.update((byte) ':');
		digest.update(bytes);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

}
