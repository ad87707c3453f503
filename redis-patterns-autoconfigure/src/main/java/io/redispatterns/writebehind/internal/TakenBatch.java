package io.redispatterns.writebehind.internal;

import java.util.Map;

/**
 * Internal: a batch handed to this flusher.
 * @param id the batch id
 * @param owner the token this take holds the batch with
 * @param attempt which flush of the batch this is
 * @param lastError the previous attempt's error, or empty
 * @param items the stored values by key
 */
record TakenBatch(String id, String owner, int attempt, String lastError, Map<String, String> items) {
}
