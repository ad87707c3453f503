package io.redispatterns.responsecache;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;

/**
 * How the responses of one handler or configured route are cached.
 *
 * @param ttl how long a stored response is served
 * @param vary request headers (besides {@code Accept}) whose values select the stored response;
 * {@link CachedResponse#PRINCIPAL} for the authenticated user
 * @param tags cache tags of stored responses, {@code {name}} replaced by path variables
 * @param cacheControl the {@code Cache-Control} header sent when the handler set none
 */
public record ResponseCachePolicy(Duration ttl, List<String> vary, List<String> tags, String cacheControl) {

	private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

	/**
	 * Validates and copies the values.
	 * @param ttl positive
	 * @param vary header names or {@link CachedResponse#PRINCIPAL}
	 * @param tags the tags
	 * @param cacheControl the header value
	 */
	public ResponseCachePolicy {
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("Response cache TTL must be positive, was " + ttl);
		}
		vary = vary.stream().map(String::trim).filter((name) -> !name.isEmpty()).toList();
		tags = List.copyOf(tags);
	}

	/**
	 * Tells whether responses are keyed by the authenticated principal.
	 * @return {@code true} when {@link #vary()} names {@link CachedResponse#PRINCIPAL}
	 */
	public boolean varyPrincipal() {
		return this.vary.contains(CachedResponse.PRINCIPAL);
	}

	/**
	 * Tells whether a request header is part of the key.
	 * @param header the header name (any case)
	 * @return {@code true} when {@link #vary()} names it
	 */
	public boolean varies(String header) {
		String lower = header.toLowerCase(Locale.ROOT);
		return this.vary.stream().anyMatch((name) -> name.toLowerCase(Locale.ROOT).equals(lower));
	}

	/**
	 * Returns the request headers of the key, without {@link CachedResponse#PRINCIPAL}.
	 * @return the header names
	 */
	public List<String> varyHeaders() {
		return this.vary.stream().filter((name) -> !name.equals(CachedResponse.PRINCIPAL)).toList();
	}

	/**
	 * Checks a response TTL: positive, and not longer than the cache's own TTL (its entries would
	 * vanish before).
	 * @param property the property or annotation the value comes from
	 * @param ttl the TTL
	 * @param maxTtl the TTL of the cache that holds the responses
	 * @param cacheName that cache's name
	 * @return the TTL
	 * @throws InvalidRedisPatternsPropertyException naming the property
	 */
	public static Duration checkTtl(String property, Duration ttl, Duration maxTtl, String cacheName) {
		if (ttl.isNegative() || ttl.isZero()) {
			throw new InvalidRedisPatternsPropertyException(property, ttl, "a positive duration, such as 60s");
		}
		if (ttl.compareTo(maxTtl) > 0) {
			throw new InvalidRedisPatternsPropertyException(property, ttl, "a duration not longer than the TTL of cache '"
					+ cacheName + "' (" + maxTtl + "); raise redis-patterns.cache.caches." + cacheName + ".ttl");
		}
		return ttl;
	}

	/**
	 * Checks that every vary entry is a header name or {@link CachedResponse#PRINCIPAL}.
	 * @param property the property or annotation the value comes from
	 * @param vary the entries
	 * @throws InvalidRedisPatternsPropertyException naming the property
	 */
	public static void checkVary(String property, List<String> vary) {
		for (String name : vary) {
			if (!name.equals(CachedResponse.PRINCIPAL) && !name.matches(TOKEN)) {
				throw new InvalidRedisPatternsPropertyException(property, name,
						"HTTP header names, or " + CachedResponse.PRINCIPAL + " for the authenticated user");
			}
		}
	}

}
