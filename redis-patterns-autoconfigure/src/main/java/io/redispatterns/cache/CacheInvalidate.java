package io.redispatterns.cache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Invalidates cache entries after the method returns normally: by key, by tag, by key pattern or
 * the whole cache.
 * <pre>{@code
 * @CacheInvalidate(cache = "products", key = "#product.id", tags = "'catalog'")
 * public Product update(Product product) { ... }
 * }</pre>
 * Invalidation happens at once and, when a Spring transaction is active, once more after it
 * commits (so a concurrent load that read the old data before the commit is removed too).
 * Expressions see the method's parameters and {@code #result}. With no key, tags, pattern or
 * {@code allEntries}, the key made of all arguments is evicted. Redis failures are logged and
 * counted, never thrown.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CacheInvalidate {

	/**
	 * Name of the cache.
	 * @return the cache name
	 */
	String cache();

	/**
	 * SpEL expression for the key to evict.
	 * @return the key expression, empty for none
	 */
	String key() default "";

	/**
	 * SpEL expressions for tags whose entries are evicted.
	 * @return the tag expressions
	 */
	String[] tags() default {};

	/**
	 * SpEL expression for a glob over keys ({@code *} and {@code ?} are wildcards) whose entries
	 * are evicted with {@code SCAN} and {@code UNLINK} on every master.
	 * @return the pattern expression, empty for none
	 */
	String keyPattern() default "";

	/**
	 * Whether every entry of the cache is evicted.
	 * @return {@code true} to clear the cache
	 */
	boolean allEntries() default false;

}
