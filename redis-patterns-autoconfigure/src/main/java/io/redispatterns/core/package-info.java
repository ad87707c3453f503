/**
 * Building blocks shared by every pattern: the key builder, the JSON codec, Lua scripts
 * ({@link io.redispatterns.core.LuaScript}) and the one way to run them
 * ({@link io.redispatterns.core.LuaScriptRunner}) or to pipeline commands
 * ({@link io.redispatterns.core.RedisBatch}),
 * Redis server time, the library's exceptions, and failure handling shared by patterns: the
 * {@link io.redispatterns.core.RedisCircuitBreaker} and the {@link io.redispatterns.core.RateLimitedLogger}, and
 * (internal) {@link io.redispatterns.core.AnnotationValues}, which reads the annotations' attributes alike
 * for every pattern.
 */
@NullMarked
package io.redispatterns.core;

import org.jspecify.annotations.NullMarked;
