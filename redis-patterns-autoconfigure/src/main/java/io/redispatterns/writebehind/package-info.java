/**
 * Write-behind: {@link io.redispatterns.writebehind.WriteBehind} buffers writes in Redis, coalesced
 * by key (last value wins, or summed for counters), durable across application restarts, and
 * {@link io.redispatterns.writebehind.WriteBehindFlush @WriteBehindFlush} methods persist them in
 * batches, at least once, acknowledged after the method returns; a batch that keeps failing is
 * dead-lettered with its error.
 */
@NullMarked
package io.redispatterns.writebehind;

import org.jspecify.annotations.NullMarked;
