package io.redispatterns.responsecache;

import java.util.Locale;

/**
 * Receives what the response cache did; the Micrometer implementation publishes
 * {@code redis.patterns.response.cache.requests{route,result}},
 * {@code redis.patterns.response.cache.bypassed{route,reason}} and
 * {@code redis.patterns.response.cache.stores{route,outcome}}. The route is the handler's URL
 * pattern or the configured route's pattern (never a raw path).
 */
public interface ResponseCacheMetrics {

	/** Metrics that record nothing. */
	ResponseCacheMetrics NONE = new ResponseCacheMetrics() {
		@Override
		public void request(String route, Result result) {
		}

		@Override
		public void bypassed(String route, String reason) {
		}

		@Override
		public void store(String route, String outcome) {
		}
	};

	/**
	 * Records one cacheable request.
	 * @param route the route
	 * @param result how it was answered
	 */
	void request(String route, Result result);

	/**
	 * Records a request the cache did not take part in (the handler answered it).
	 * @param route the route
	 * @param reason {@code credentials}, {@code redis-unavailable} or {@code cache-error}
	 */
	void bypassed(String route, String reason);

	/**
	 * Records what happened to a response the handler produced on a miss.
	 * @param route the route
	 * @param outcome {@code stored}, {@code too-large}, {@code status}, {@code set-cookie},
	 * {@code no-store}, {@code session} or {@code async}
	 */
	void store(String route, String outcome);

	/** How a cacheable request was answered. */
	enum Result {

		/** From the cache, with the stored body. */
		HIT,

		/** From the cache, with {@code 304 Not Modified}. */
		NOT_MODIFIED,

		/** By the handler (nothing fresh was stored). */
		MISS,

		/** By the handler, without the cache (see the reason). */
		BYPASSED;

		/**
		 * Returns the tag value.
		 * @return such as {@code not-modified}
		 */
		public String value() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

}
