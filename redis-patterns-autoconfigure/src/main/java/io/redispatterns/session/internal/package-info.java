/**
 * Internal: the Spring Session repository on Redis (its reads, writes, principal index, attribute
 * format and the client-address filter) that {@code RedisPatternsSessionAutoConfiguration} creates. Not part of
 * the public API; use the types of {@link io.redispatterns.session} and Spring Session's
 * {@code FindByIndexNameSessionRepository} instead.
 */
@NullMarked
package io.redispatterns.session.internal;

import org.jspecify.annotations.NullMarked;
