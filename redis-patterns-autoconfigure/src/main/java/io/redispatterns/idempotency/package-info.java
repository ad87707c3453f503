/**
 * Idempotent HTTP requests: {@link io.redispatterns.idempotency.Idempotent @Idempotent} on Spring
 * MVC handlers makes a request retried with the same {@code Idempotency-Key} header return the
 * stored first response instead of running the handler again. One Lua script claims a key
 * atomically; the in-progress marker has a lease, completed responses are kept for a window.
 */
@NullMarked
package io.redispatterns.idempotency;

import org.jspecify.annotations.NullMarked;
