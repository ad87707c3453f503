/**
 * The redis-patterns sample application.
 */
@NullMarked
package io.redispatterns.sample;

import org.jspecify.annotations.NullMarked;
