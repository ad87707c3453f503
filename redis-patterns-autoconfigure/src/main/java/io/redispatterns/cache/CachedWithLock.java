package io.redispatterns.cache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Caches a method's result in Redis with stampede protection across application instances.
 * <pre>{@code
 * @CachedWithLock(cache = "products", key = "#id", ttl = "10m", staleWhileRevalidate = "1m")
 * public Product product(long id) { ... }
 * }</pre>
 * On a hit the method does not run (one Redis {@code GET}). On a miss exactly one caller across
 * all instances runs it: callers in one JVM share one attempt, and a per-key loader lock elects
 * the loader among JVMs while the others wait for the written value. The result is stored as JSON
 * for the method's declared generic return type. When Redis is slow or down the method simply
 * runs.
 * <p>
 * Duration attributes accept {@code 10m}, {@code 30s}, ISO-8601 and {@code ${...}} placeholders;
 * empty attributes fall back to {@code redis-patterns.cache.caches.<cache>.*} and then to
 * {@code redis-patterns.cache.*}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CachedWithLock {

	/**
	 * Name of the cache (a {@code redis-patterns.cache.caches} entry when
	 * {@code redis-patterns.cache.strict=true}).
	 * @return the cache name
	 */
	String cache();

	/**
	 * SpEL expression for the key, evaluated against the method's parameters ({@code #id},
	 * {@code #p0}, {@code #root.args}); empty uses all arguments.
	 * @return the key expression
	 */
	String key() default "";

	/**
	 * How long an entry is fresh, such as {@code 10m}; empty for the cache's configured TTL.
	 * @return the TTL
	 */
	String ttl() default "";

	/**
	 * How long after its TTL an entry is still served while one background refresh runs, such as
	 * {@code 1m}; empty for the cache's configured window.
	 * @return the stale-while-revalidate window
	 */
	String staleWhileRevalidate() default "";

	/**
	 * SpEL expressions for the entry's tags, such as {@code "'catalog'"} or
	 * {@code "'category:' + #category"}; {@link CacheInvalidate#tags()} evicts every entry of a tag.
	 * @return the tag expressions
	 */
	String[] tags() default {};

	/**
	 * How long to wait for another instance's loader (for the key's loader lock), such as
	 * {@code 5s}; empty for the cache's configured {@code wait-for}. The same name as
	 * {@code @DistributedLock(waitFor)} and {@code redis-patterns.lock.wait-for}.
	 * @return the wait
	 */
	@AliasFor("lockWait")
	String waitFor() default "";

	/**
	 * Former name of {@link #waitFor()}.
	 * @return the wait
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@link #waitFor()}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@AliasFor("waitFor")
	String lockWait() default "";

}
