/**
 * The redis-patterns operator console in the sample: who may use it.
 */
@NullMarked
package io.redispatterns.sample.console;

import org.jspecify.annotations.NullMarked;
