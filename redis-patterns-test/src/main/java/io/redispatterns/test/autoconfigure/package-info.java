/**
 * The "embedded default": a throw-away {@code redis-server} that a development-time application gets when
 * no Redis connection is configured.
 */
@NullMarked
package io.redispatterns.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
