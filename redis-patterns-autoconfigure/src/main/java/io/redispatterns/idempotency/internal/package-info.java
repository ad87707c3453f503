/**
 * Internal: the Spring MVC plumbing of {@code @Idempotent} (the handler interceptor, the request
 * filter, the exception handler and the request and response wrappers) that
 * {@code IdempotencyAutoConfiguration} registers. Not part of the public API; use the types of
 * {@link io.redispatterns.idempotency} instead.
 */
@NullMarked
package io.redispatterns.idempotency.internal;

import org.jspecify.annotations.NullMarked;
