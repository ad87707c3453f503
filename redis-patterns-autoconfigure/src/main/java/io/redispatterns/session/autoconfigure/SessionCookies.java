package io.redispatterns.session.autoconfigure;

import java.time.Duration;
import java.util.Locale;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.session.web.http.DefaultCookieSerializer;

/**
 * Builds the session cookie serializer from {@code server.servlet.session.cookie.*}, keeping secure
 * defaults for what is not configured: {@code HttpOnly}, {@code SameSite=Lax}, and {@code Secure}
 * decided per request ({@code request.isSecure()}, which honours forwarded headers).
 */
final class SessionCookies {

	private static final String PREFIX = "server.servlet.session.cookie.";

	private SessionCookies() {
	}

	static DefaultCookieSerializer serializer(Binder binder) {
		DefaultCookieSerializer serializer = new DefaultCookieSerializer();
		binder.bind(PREFIX + "name", String.class).ifBound(serializer::setCookieName);
		binder.bind(PREFIX + "domain", String.class).ifBound(serializer::setDomainName);
		binder.bind(PREFIX + "path", String.class).ifBound(serializer::setCookiePath);
		serializer.setUseHttpOnlyCookie(binder.bind(PREFIX + "http-only", Boolean.class).orElse(true));
		binder.bind(PREFIX + "secure", Boolean.class).ifBound(serializer::setUseSecureCookie);
		binder.bind(PREFIX + "max-age", Duration.class)
			.ifBound((maxAge) -> serializer.setCookieMaxAge((int) maxAge.toSeconds()));
		String sameSite = binder.bind(PREFIX + "same-site", String.class).orElse("lax");
		serializer.setSameSite(sameSiteAttribute(sameSite));
		binder.bind(PREFIX + "partitioned", Boolean.class).ifBound(serializer::setPartitioned);
		return serializer;
	}

	/** The cookie's SameSite attribute; {@code null} leaves it out ("omitted"). */
	private static @Nullable String sameSiteAttribute(String value) {
		return switch (value.trim().toLowerCase(Locale.ROOT)) {
			case "lax" -> "Lax";
			case "strict" -> "Strict";
			case "none" -> "None";
			case "omitted" -> null;
			default -> throw new InvalidRedisPatternsPropertyException(PREFIX + "same-site", value,
					"lax, strict, none or omitted");
		};
	}

}
