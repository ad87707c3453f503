/**
 * Internal: the Lettuce implementation of {@code RedisTransactions} (dedicated connections, queued transactions) and its Actuator section, created by {@code RedisPatternsTransactionAutoConfiguration}. Not part of the public API; use the types of {@link io.redispatterns.transaction} instead.
 */
@NullMarked
package io.redispatterns.transaction.internal;

import org.jspecify.annotations.NullMarked;
