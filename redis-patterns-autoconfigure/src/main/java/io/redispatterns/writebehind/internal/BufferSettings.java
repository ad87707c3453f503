package io.redispatterns.writebehind.internal;

import java.time.Duration;

import io.redispatterns.writebehind.WhenFull;

/**
 * Internal: the settings of one buffer.
 * @param maxBacklog most keys pending plus in flight
 * @param whenFull what a write to a full buffer does
 * @param blockTimeout how long a blocked write waits for room
 * @param maxAttempts flushes of a batch before it is dead-lettered
 */
public record BufferSettings(long maxBacklog, WhenFull whenFull, Duration blockTimeout, int maxAttempts) {
}
