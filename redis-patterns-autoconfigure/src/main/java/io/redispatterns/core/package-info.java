/**
 * Building blocks shared by every pattern: the key builder, the JSON codec, Lua script loading,
 * Redis server time and the library's exceptions.
 */
@NullMarked
package io.redispatterns.core;

import org.jspecify.annotations.NullMarked;
