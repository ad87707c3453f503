package io.redispatterns.responsecache;

import java.time.Duration;
import java.util.List;

import org.springframework.web.util.pattern.PathPattern;

/**
 * The configured behaviour of the response cache.
 *
 * @param cacheName the cache (of the cache pattern) whose entries hold the responses; its tags
 * evict them
 * @param defaultTtl TTL of handlers and routes that set none
 * @param maxBodySize largest body stored, in bytes; bigger responses are sent but not stored
 * @param storedHeaders response headers stored with the body (besides {@code Content-Type})
 * @param cacheControl {@code Cache-Control} sent when the handler set none
 * @param routes URL patterns cached without an annotation, first match wins
 */
public record ResponseCacheSettings(String cacheName, Duration defaultTtl, long maxBodySize,
		List<String> storedHeaders, String cacheControl, List<Route> routes) {

	/**
	 * Copies the lists.
	 * @param cacheName the cache name
	 * @param defaultTtl the default TTL
	 * @param maxBodySize the largest body stored
	 * @param storedHeaders the stored headers
	 * @param cacheControl the default {@code Cache-Control}
	 * @param routes the configured routes
	 */
	public ResponseCacheSettings {
		storedHeaders = List.copyOf(storedHeaders);
		routes = List.copyOf(routes);
	}

	/**
	 * A URL pattern whose {@code GET} responses are cached.
	 *
	 * @param pattern the parsed pattern, such as {@code /api/catalog/**}
	 * @param policy how its responses are cached
	 */
	public record Route(PathPattern pattern, ResponseCachePolicy policy) {
	}

}
