package io.redispatterns.cache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a method that writes to the database a write-through of a cache entry: the method runs under
 * the key's loader lock with the entry deleted, and its return value is cached only if the method
 * returned and the lock is still held (see {@link CacheWriteThrough}). An exception of the method
 * reaches the caller unchanged and nothing is cached.
 * <pre class="code">
 * &#64;WriteThrough(cache = "products", key = "#id")
 * public Product update(long id, ProductUpdate update) { return repository.save(...); }
 * </pre>
 * The return value is cached as it is (an {@code Optional} or a future is not unwrapped). When the key's
 * lock cannot be taken the method does not run: {@code RedisUnavailableException} or
 * {@link CacheLockTimeoutException}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WriteThrough {

	/**
	 * The cache.
	 * @return the cache name
	 */
	String cache();

	/**
	 * SpEL over the arguments ({@code #id}, {@code #p0}); empty for all arguments, as with
	 * {@link CachedWithLock#key()}.
	 * @return the key expression
	 */
	String key() default "";

}
