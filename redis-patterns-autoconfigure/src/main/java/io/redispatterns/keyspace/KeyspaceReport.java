package io.redispatterns.keyspace;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one bounded keyspace analysis saw.
 * @param complete whether every master's cursor came back to 0 within the budget and time limit
 * @param stoppedBy {@code null} when complete, else {@code key-budget} or {@code time-limit}
 * @param masters how many masters were scanned
 * @param scannedKeys how many keys were examined
 * @param scanCalls how many {@code SCAN} calls were made
 * @param durationMillis how long the analysis took
 * @param groups per key prefix, most keys first
 * @param largestKeys the largest sampled keys, largest first
 * @param notPermitted keys whose type or TTL the ACL user may not read (counted, not inspected)
 */
public record KeyspaceReport(boolean complete, @Nullable String stoppedBy, int masters, long scannedKeys, long scanCalls,
		long durationMillis, List<PrefixStats> groups, List<KeySize> largestKeys, long notPermitted) {

	/**
	 * Statistics of the keys of one prefix.
	 * @param prefix the group, such as {@code shop:rl:quotes} or {@code user:profile}
	 * @param library whether the keys are the library's own (under its key prefix)
	 * @param keys how many keys were seen
	 * @param types key count per type ({@code string}, {@code hash}, {@code zset}, ...)
	 * @param withoutTtl keys that never expire
	 * @param sampled keys measured with {@code MEMORY USAGE}
	 * @param sampledBytes their total size
	 * @param estimatedBytes {@code sampledBytes / sampled × keys}, or 0 when nothing was sampled
	 */
	public record PrefixStats(String prefix, boolean library, long keys, Map<String, Long> types, long withoutTtl,
			int sampled, long sampledBytes, long estimatedBytes) {
	}

	/**
	 * One sampled key's size.
	 * @param key the key
	 * @param group its group
	 * @param type its type
	 * @param bytes its {@code MEMORY USAGE}
	 */
	public record KeySize(String key, String group, String type, long bytes) {
	}

}
