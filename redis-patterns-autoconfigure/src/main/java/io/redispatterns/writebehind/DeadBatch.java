package io.redispatterns.writebehind;

import java.time.Instant;
import java.util.Map;

/**
 * A batch that failed its last flush attempt, kept in the buffer's dead-letter stream.
 * @param id the batch id
 * @param attempts how often it was flushed
 * @param error the last flush error
 * @param items the values by key, as stored (JSON; counters as integers)
 * @param deadAt when it was dead-lettered (Redis clock)
 */
public record DeadBatch(String id, int attempts, String error, Map<String, String> items, Instant deadAt) {
}
