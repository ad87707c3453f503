package io.redispatterns.idempotency;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Makes a Spring MVC handler idempotent for requests that carry an idempotency key header
 * ({@code Idempotency-Key} unless configured otherwise): the first request with a key runs the
 * handler and its response (status, selected headers, body) is stored; a retry with the same key
 * and the same request gets the stored response with {@code Idempotent-Replayed: true} and the
 * handler does not run again. A retry while the first request still runs waits up to
 * {@code redis-patterns.idempotency.in-progress-wait} and then gets {@code 409}; the same key
 * with a different request (method, path, query or body) gets {@code 422}.
 * <p>
 * Keys are scoped per handler ({@link #name()}) and per authenticated principal, so two users
 * (or two endpoints) never share a stored response. {@code 5xx} responses and exceptions are
 * not stored: the key is released and a retry runs the handler again.
 * <p>
 * On a method or on a controller class (then every handler method of it). String attributes
 * accept {@code ${...}} placeholders; blank means "use the configured default".
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Idempotent {

	/**
	 * Scope of the keys: requests of handlers with the same name share keys. Defaults to
	 * {@code <ControllerSimpleName>.<method>}. Also the {@code name} tag of the metrics.
	 * @return the name, or blank for the default
	 */
	String name() default "";

	/**
	 * How long a completed response is kept and replayed, such as {@code 24h}; blank for
	 * {@code redis-patterns.idempotency.window}.
	 * @return the window
	 */
	@AliasFor("ttl")
	String window() default "";

	/**
	 * Former name of {@link #window()}.
	 * @return the window
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@link #window()}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@AliasFor("window")
	String ttl() default "";

	/**
	 * What a request without the key header gets: {@code process} (runs normally, without
	 * protection) or {@code reject} ({@code 400} problem); blank for
	 * {@code redis-patterns.idempotency.missing-key}.
	 * @return the behaviour
	 */
	String missingKey() default "";

}
