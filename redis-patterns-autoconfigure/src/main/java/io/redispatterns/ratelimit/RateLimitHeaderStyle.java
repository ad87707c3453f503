package io.redispatterns.ratelimit;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Which rate-limit headers HTTP responses carry. {@code Retry-After} is always sent with a 429.
 */
public enum RateLimitHeaderStyle {

	/** {@code x-ratelimit}: {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining}, {@code X-RateLimit-Reset}. */
	X_RATELIMIT("x-ratelimit"),

	/** {@code ietf}: the IETF httpapi draft's {@code RateLimit-Policy} and {@code RateLimit} structured fields. */
	IETF("ietf"),

	/** {@code both}: both sets (the default). */
	BOTH("both"),

	/** {@code none}: no rate-limit headers. */
	NONE("none");

	private final String value;

	RateLimitHeaderStyle(String value) {
		this.value = value;
	}

	/**
	 * Returns the configuration value.
	 * @return such as {@code x-ratelimit}
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Tells whether this style writes the {@code X-RateLimit-*} headers.
	 * @return {@code true} for {@code x-ratelimit} and {@code both}
	 */
	public boolean xRateLimit() {
		return this == X_RATELIMIT || this == BOTH;
	}

	/**
	 * Tells whether this style writes the IETF {@code RateLimit} and {@code RateLimit-Policy} headers.
	 * @return {@code true} for {@code ietf} and {@code both}
	 */
	public boolean ietf() {
		return this == IETF || this == BOTH;
	}

	/**
	 * Finds a style by its configuration value.
	 * @param value such as {@code both}
	 * @return the style, or {@code null} when the value names none
	 */
	public static @Nullable RateLimitHeaderStyle fromValue(String value) {
		for (RateLimitHeaderStyle style : values()) {
			if (style.value.equals(value.trim().toLowerCase(Locale.ROOT))) {
				return style;
			}
		}
		return null;
	}

}
