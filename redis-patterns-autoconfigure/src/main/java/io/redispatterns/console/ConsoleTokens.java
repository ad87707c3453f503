package io.redispatterns.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseCookie;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.util.ClassUtils;

/**
 * The console's CSRF defence and signed notices. Every form carries the console's own token,
 * checked against a cookie that only the console's pages set (SameSite=Strict, HTTP-only): a
 * double-submit token that works with or without Spring Security. When Spring Security's CSRF
 * protection runs, its token is added to every form too, so its filter accepts the post.
 */
public final class ConsoleTokens {

	/** The cookie holding the console's token. */
	public static final String COOKIE = "RP_CONSOLE_CSRF";

	/** The form field carrying the console's token. */
	public static final String FIELD = "rp-console-token";

	private static final boolean SPRING_SECURITY_WEB = ClassUtils
		.isPresent("org.springframework.security.web.csrf.CsrfToken", ConsoleTokens.class.getClassLoader());

	private final SecureRandom random = new SecureRandom();

	private final byte[] noticeKey = new byte[32];

	/** Creates the tokens with a fresh signing key. */
	public ConsoleTokens() {
		this.random.nextBytes(this.noticeKey);
	}

	/**
	 * Returns the console token of a request's cookie.
	 * @param request the request
	 * @return the token, or {@code null}
	 */
	public @Nullable String cookieToken(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies != null) {
			for (Cookie cookie : cookies) {
				if (COOKIE.equals(cookie.getName()) && cookie.getValue() != null && cookie.getValue().length() >= 32) {
					return cookie.getValue();
				}
			}
		}
		return null;
	}

	/**
	 * Creates a new token.
	 * @return the token
	 */
	public String newToken() {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Builds the cookie that holds a token.
	 * @param token the token
	 * @param path the console's path
	 * @param secure whether the request came over HTTPS
	 * @return the cookie
	 */
	public ResponseCookie cookie(String token, String path, boolean secure) {
		return ResponseCookie.from(COOKIE, token).path(path).httpOnly(true).sameSite("Strict").secure(secure).build();
	}

	/**
	 * Returns the hidden fields every form of a page carries.
	 * @param request the request
	 * @param token the console's token
	 * @return name/value pairs
	 */
	public List<Map.Entry<String, String>> formFields(HttpServletRequest request, String token) {
		List<Map.Entry<String, String>> fields = new ArrayList<>();
		fields.add(Map.entry(FIELD, token));
		if (SPRING_SECURITY_WEB) {
			Map.Entry<String, String> springToken = SpringSecurityToken.field(request);
			if (springToken != null) {
				fields.add(springToken);
			}
		}
		return fields;
	}

	/**
	 * Checks the console's token of a posted form against its cookie.
	 * @param request the request
	 * @return whether the token is present and matches
	 */
	public boolean isValid(HttpServletRequest request) {
		String cookie = cookieToken(request);
		String field = request.getParameter(FIELD);
		return cookie != null && field != null && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII),
				field.getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * Signs a notice so a page shows only notices the console wrote (never text from a crafted link).
	 * @param notice the notice
	 * @return the signature
	 */
	public String sign(String notice) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.noticeKey, "HmacSHA256"));
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(mac.doFinal(notice.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/**
	 * Returns a notice if its signature is valid.
	 * @param notice the notice from the query
	 * @param signature its signature from the query
	 * @return the notice, or {@code null}
	 */
	public @Nullable String verified(@Nullable String notice, @Nullable String signature) {
		if (notice == null || signature == null) {
			return null;
		}
		return MessageDigest.isEqual(sign(notice).getBytes(StandardCharsets.US_ASCII),
				signature.getBytes(StandardCharsets.US_ASCII)) ? notice : null;
	}

	/** Touches Spring Security only when it is on the class path. */
	private static final class SpringSecurityToken {

		static Map.@Nullable Entry<String, String> field(HttpServletRequest request) {
			Object token = request.getAttribute(CsrfToken.class.getName());
			if (token instanceof CsrfToken csrf) {
				return Map.entry(csrf.getParameterName(), csrf.getToken());
			}
			return null;
		}

	}

}
