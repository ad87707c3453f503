/**
 * Internal: the servlet filter that answers Redis failures of a request, registered by {@code RedisFailureWebAutoConfiguration}. Not part of the public API; use the types of {@link io.redispatterns.web} instead.
 */
@NullMarked
package io.redispatterns.web.internal;

import org.jspecify.annotations.NullMarked;
