/**
 * Optimistic transactions on Redis: {@link io.redispatterns.transaction.RedisTransactions}
 * ({@code WATCH} the keys, read, {@code MULTI}/{@code EXEC}, retry on conflict with back-off) on
 * connections of their own. Prefer a Lua script where the read-modify-write fits in one.
 */
@NullMarked
package io.redispatterns.transaction;

import org.jspecify.annotations.NullMarked;
