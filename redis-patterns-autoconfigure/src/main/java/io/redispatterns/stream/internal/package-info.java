/**
 * Internal: the stream listener containers, publisher and dead-letter implementations that
 * {@code StreamAutoConfiguration} creates. Not part of the public API; use the interfaces of
 * {@link io.redispatterns.stream} instead.
 */
@NullMarked
package io.redispatterns.stream.internal;

import org.jspecify.annotations.NullMarked;
