package io.redispatterns.responsecache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches the whole response of a Spring MVC {@code GET} handler in Redis and answers
 * {@code If-None-Match} with {@code 304 Not Modified} without running the handler.
 * <pre>{@code
 * @CachedResponse(ttl = "60s", tags = {"products", "product:{id}"})
 * @GetMapping("/api/products/{id}")
 * Product product(@PathVariable long id) { ... }
 * }</pre>
 * The key is the method, path, query, the {@code Accept} header and the {@link #vary()} headers.
 * Only {@code 2xx} responses without {@code Set-Cookie}, {@code Cache-Control: no-store} or a new
 * session are stored, up to {@code redis-patterns.response-cache.max-body-size}. A request that
 * carries credentials ({@code Authorization}, a cookie, a session, a principal) is never answered
 * from the cache unless {@code vary} names what identifies it ({@link #PRINCIPAL},
 * {@code Authorization} or {@code Cookie}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CachedResponse {

	/**
	 * The {@link #vary()} entry that keys responses by the authenticated principal's name, so that
	 * authenticated requests are cached per user.
	 */
	String PRINCIPAL = "#principal";

	/**
	 * How long a stored response is served ({@code 60s}, {@code 5m}, ISO-8601, {@code ${...}});
	 * empty for {@code redis-patterns.response-cache.ttl}.
	 * @return the time to live
	 */
	String ttl() default "";

	/**
	 * Request headers whose values select the stored response (besides {@code Accept}), and
	 * {@link #PRINCIPAL} for the authenticated user. Their values are hashed into the key.
	 * @return the header names
	 */
	String[] vary() default {};

	/**
	 * Cache tags of stored responses; {@code {name}} is replaced by the path variable of that
	 * name. Evict them with {@code HttpResponseCache.evictTags}, {@code CacheTemplate.evictTags} or
	 * {@code @CacheInvalidate} on the response cache's name ({@code http-responses} by default).
	 * @return the tags
	 */
	String[] tags() default {};

	/**
	 * The {@code Cache-Control} header sent with responses whose handler set none; empty for
	 * {@code redis-patterns.response-cache.cache-control} ({@code no-cache}: clients revalidate
	 * every time, with a cheap {@code 304}).
	 * @return the header value
	 */
	String cacheControl() default "";

}
