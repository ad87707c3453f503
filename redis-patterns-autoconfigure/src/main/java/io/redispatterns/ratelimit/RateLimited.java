package io.redispatterns.ratelimit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits how often a Spring MVC handler (method or class) or any Spring bean method may be
 * called. Either names a configured policy or declares one inline:
 *
 * <pre class="code">
 * &#64;RateLimited(policy = "quotes")                           // redis-patterns.rate-limit.policies.quotes
 * &#64;GetMapping("/api/quotes") ...
 *
 * &#64;RateLimited(limit = 10, window = "1s", key = "#user.id")  // inline GCRA, SpEL key
 * &#64;RateLimited(limit = 1000, window = "1h", key = "#user.id")
 * public Report build(User user) { ... }
 * </pre>
 *
 * Repeated annotations (and annotations on both the class and the method) are checked together
 * and charged all or none, in one round trip. On an MVC handler a refusal becomes a 429; on a
 * bean method a {@link RateLimitExceededException} is thrown. String attributes accept
 * {@code ${...}} placeholders. A policy name that is not configured fails start-up.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(RateLimited.List.class)
public @interface RateLimited {

	/**
	 * Name of a configured policy ({@code redis-patterns.rate-limit.policies.<name>}). Leave empty
	 * to declare the limit inline with {@link #limit()} and {@link #window()} (or
	 * {@link #capacity()} and {@link #refillRate()}).
	 * @return the policy name
	 */
	String policy() default "";

	/**
	 * Name of an inline policy (keys, headers, metrics). Defaults to
	 * {@code <SimpleClassName>.<method>} (suffixed {@code -2}, {@code -3} for repeats).
	 * @return the inline policy's name
	 */
	String name() default "";

	/**
	 * Inline limit: units per {@link #window()}.
	 * @return the limit; 0 when a policy is named
	 */
	long limit() default 0;

	/**
	 * Inline window, such as {@code 1s}, {@code 500ms}, {@code 1h}, {@code 1d}.
	 * @return the window
	 */
	String window() default "";

	/**
	 * Inline algorithm: {@code gcra} (default), {@code fixed-window}, {@code sliding-window},
	 * {@code sliding-window-counter} or {@code token-bucket}.
	 * @return the algorithm
	 */
	String algorithm() default "";

	/**
	 * Inline token bucket capacity.
	 * @return the capacity; 0 unless a token bucket
	 */
	long capacity() default 0;

	/**
	 * Inline token bucket refill rate, such as {@code 5/s}.
	 * @return the rate
	 */
	String refillRate() default "";

	/**
	 * Client key: {@code ip}, {@code principal}, {@code header:<name>}, {@code bean:<name>},
	 * {@code global}, or SpEL starting with {@code #} (or {@code spel:<expression>}). Empty uses the
	 * policy's key; for inline policies that is {@code ip} on controllers ({@code @Controller} /
	 * {@code @RestController} classes) and {@code global} (one quota shared by all callers) on
	 * other beans, whose methods may run without any HTTP request.
	 * @return the key specification
	 */
	String key() default "";

	/**
	 * Units one call takes; 0 uses the policy's cost.
	 * @return the cost
	 */
	long cost() default 0;

	/**
	 * Holds repeated {@link RateLimited} annotations.
	 */
	@Target({ ElementType.METHOD, ElementType.TYPE })
	@Retention(RetentionPolicy.RUNTIME)
	@Documented
	@interface List {

		/**
		 * Returns the repeated annotations.
		 * @return the annotations
		 */
		RateLimited[] value();

	}

}
