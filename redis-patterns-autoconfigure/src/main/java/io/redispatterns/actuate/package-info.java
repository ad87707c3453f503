/**
 * Actuator support: the {@code redisPatterns} health contributor and the {@code redispatterns} endpoint.
 */
@NullMarked
package io.redispatterns.actuate;

import org.jspecify.annotations.NullMarked;
