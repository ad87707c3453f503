package io.redispatterns.responsecache;

import java.util.Collection;
import java.util.List;

import io.redispatterns.cache.CacheTemplate;

/**
 * Evicts cached responses: by the tags of {@link CachedResponse#tags()} (and of configured
 * routes), or all of them. Responses are entries of one cache of the cache pattern, so
 * {@code CacheTemplate.evictTags("http-responses", ...)} and
 * {@code @CacheInvalidate(cache = "http-responses", tags = ...)} evict them too.
 * <pre>{@code
 * @PutMapping("/api/products/{id}")
 * Product update(@PathVariable long id, @RequestBody ProductUpdate update) {
 *     Product product = products.update(id, update);
 *     responses.evictTags("product:" + id);
 *     return product;
 * }
 * }</pre>
 * Like every cache invalidation, an eviction while Redis is down is skipped (logged and counted by
 * the cache), never thrown.
 */
public class HttpResponseCache {

	private final CacheTemplate cache;

	private final String cacheName;

	/**
	 * Creates the invalidator.
	 * @param cache the cache template
	 * @param cacheName the cache that holds the responses
	 */
	public HttpResponseCache(CacheTemplate cache, String cacheName) {
		this.cache = cache;
		this.cacheName = cacheName;
	}

	/**
	 * Evicts every response carrying one of the tags.
	 * @param tags the tags
	 * @return how many keys were removed
	 */
	public long evictTags(String... tags) {
		return evictTags(List.of(tags));
	}

	/**
	 * Evicts every response carrying one of the tags.
	 * @param tags the tags
	 * @return how many keys were removed
	 */
	public long evictTags(Collection<String> tags) {
		return this.cache.evictTags(this.cacheName, tags);
	}

	/**
	 * Evicts every cached response.
	 * @return how many keys were removed
	 */
	public long clear() {
		return this.cache.clear(this.cacheName);
	}

	/**
	 * Returns the name of the cache that holds the responses.
	 * @return the cache name
	 */
	public String cacheName() {
		return this.cacheName;
	}

}
