/**
 * Redis faults over HTTP: {@link io.redispatterns.web.RedisFailureProblems} turns an
 * "unavailable" fault into {@code 503} with {@code Retry-After} and an "outcome unknown" fault
 * into {@code 504}, both as RFC 9457 problem bodies, from Spring MVC handlers
 * ({@link io.redispatterns.web.RedisFailureExceptionResolver}) and from servlet filters such as
 * Spring Session's ({@link io.redispatterns.web.internal.RedisFailureFilter}).
 */
@NullMarked
package io.redispatterns.web;

import org.jspecify.annotations.NullMarked;
