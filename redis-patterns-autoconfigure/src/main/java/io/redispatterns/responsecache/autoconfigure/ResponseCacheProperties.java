package io.redispatterns.responsecache.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.redispatterns.core.autoconfigure.DeprecatedPropertyNames;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of HTTP response caching ({@code @CachedResponse} and URL routes).
 */
@ConfigurationProperties("redis-patterns.response-cache")
public class ResponseCacheProperties {

	/**
	 * The order the response cache's servlet filter is registered with unless
	 * {@code redis-patterns.response-cache.filter-order} says otherwise: late, after Spring Security's and
	 * Spring Session's filters ({@code -100} and below), before filters registered without an order. A filter
	 * that must see every request, including those answered from the cache, takes a lower order (such as
	 * {@code DEFAULT_FILTER_ORDER - 1}).
	 */
	public static final int DEFAULT_FILTER_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	/**
	 * Whether responses of @CachedResponse handlers and configured routes are cached.
	 */
	private boolean enabled = true;

	/**
	 * Cache (of redis-patterns.cache) whose entries hold the responses; its tags evict them. Its TTL
	 * (redis-patterns.cache.caches.<name>.ttl) bounds every response TTL.
	 */
	private String cache = "http-responses";

	/**
	 * How long a response is served from the cache when its handler or route sets no TTL.
	 */
	private Duration ttl = Duration.ofSeconds(60);

	/**
	 * Largest response body stored; a bigger response is sent but not stored.
	 */
	private DataSize maxBodySize = DataSize.ofMegabytes(1);

	/**
	 * Response headers stored and replayed with the body (Content-Type always is); Set-Cookie is
	 * refused.
	 */
	private List<String> storedHeaders = new ArrayList<>(List.of("Cache-Control", "Content-Disposition",
			"Content-Language", "ETag", "Last-Modified", "Link", "Vary"));

	/**
	 * Cache-Control sent with cacheable responses whose handler set none ("no-cache": clients
	 * revalidate each time and get a 304 while the stored response is current).
	 */
	private String cacheControl = "no-cache";

	/**
	 * Order of the servlet filter; a filter that must see every request (also those answered from
	 * the cache) needs a lower order.
	 */
	private int filterOrder = DEFAULT_FILTER_ORDER;

	/**
	 * URL patterns whose GET responses are cached without an annotation; the first match wins, a
	 * handler's @CachedResponse wins over all.
	 */
	private List<Route> routes = new ArrayList<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getCache() {
		return this.cache;
	}

	public void setCache(String cache) {
		this.cache = cache;
	}

	public Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

	/**
	 * How long a response is served when its handler or route sets no TTL.
	 * @return the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code ttl}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@DeprecatedConfigurationProperty(replacement = "redis-patterns.response-cache.ttl", since = "0.1.0")
	public Duration getDefaultTtl() {
		return this.ttl;
	}

	/**
	 * Sets the value of {@code default-ttl}.
	 * @param defaultTtl the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code ttl}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public void setDefaultTtl(Duration defaultTtl) {
		DeprecatedPropertyNames.warn("redis-patterns.response-cache.default-ttl", "redis-patterns.response-cache.ttl");
		this.ttl = defaultTtl;
	}

	public DataSize getMaxBodySize() {
		return this.maxBodySize;
	}

	public void setMaxBodySize(DataSize maxBodySize) {
		this.maxBodySize = maxBodySize;
	}

	public List<String> getStoredHeaders() {
		return this.storedHeaders;
	}

	public void setStoredHeaders(List<String> storedHeaders) {
		this.storedHeaders = storedHeaders;
	}

	public String getCacheControl() {
		return this.cacheControl;
	}

	public void setCacheControl(String cacheControl) {
		this.cacheControl = cacheControl;
	}

	public int getFilterOrder() {
		return this.filterOrder;
	}

	public void setFilterOrder(int filterOrder) {
		this.filterOrder = filterOrder;
	}

	public List<Route> getRoutes() {
		return this.routes;
	}

	public void setRoutes(List<Route> routes) {
		this.routes = routes;
	}

	/**
	 * One cached URL pattern.
	 */
	public static class Route {

		/**
		 * Path pattern, such as /api/catalog/** or /api/items/{id}.
		 */
		private @Nullable String pattern;

		/**
		 * How long its responses are served; the default TTL when unset.
		 */
		private @Nullable Duration ttl;

		/**
		 * Request headers (besides Accept) whose values select the stored response; #principal for
		 * the authenticated user.
		 */
		private List<String> vary = new ArrayList<>();

		/**
		 * Cache tags of its responses; {name} is replaced by the pattern's variable.
		 */
		private List<String> tags = new ArrayList<>();

		/**
		 * Cache-Control sent when the handler set none; the response cache's when unset.
		 */
		private @Nullable String cacheControl;

		public @Nullable String getPattern() {
			return this.pattern;
		}

		public void setPattern(@Nullable String pattern) {
			this.pattern = pattern;
		}

		public @Nullable Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(@Nullable Duration ttl) {
			this.ttl = ttl;
		}

		public List<String> getVary() {
			return this.vary;
		}

		public void setVary(List<String> vary) {
			this.vary = vary;
		}

		public List<String> getTags() {
			return this.tags;
		}

		public void setTags(List<String> tags) {
			this.tags = tags;
		}

		public @Nullable String getCacheControl() {
			return this.cacheControl;
		}

		public void setCacheControl(@Nullable String cacheControl) {
			this.cacheControl = cacheControl;
		}

	}

}
