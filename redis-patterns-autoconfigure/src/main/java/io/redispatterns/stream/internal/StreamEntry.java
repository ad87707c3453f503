package io.redispatterns.stream.internal;

import java.util.Map;

/**
 * Internal: one entry read from a stream for a consumer group.
 *
 * @param id the entry id
 * @param attempt Redis's delivery counter for the group (1 on the first delivery)
 * @param fields the entry's fields (payload and headers)
 * @param claimed whether it was taken over from another consumer ({@code XAUTOCLAIM})
 */
record StreamEntry(String id, int attempt, Map<String, String> fields, boolean claimed) {
}
