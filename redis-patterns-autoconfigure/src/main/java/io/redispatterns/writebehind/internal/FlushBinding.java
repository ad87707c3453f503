package io.redispatterns.writebehind.internal;

import java.time.Duration;

/**
 * Internal: a {@code @WriteBehindFlush} method with its resolved attributes.
 * @param buffer the buffer's name
 * @param method the method
 * @param maxBatch most keys per batch
 * @param every the flush interval
 */
public record FlushBinding(String buffer, FlushMethod method, int maxBatch, Duration every) {
}
