package io.redispatterns.keyspace;

import java.time.Duration;

/**
 * Bounds and grouping of one keyspace analysis.
 * @param match the {@code SCAN MATCH} pattern ({@code *} for every key)
 * @param groupSegments how many {@code :}-separated segments of an application key form its group
 * (library keys are grouped by prefix, pattern and name)
 * @param scanCount the {@code COUNT} hint of each {@code SCAN} call
 * @param maxKeys the most keys examined, shared evenly by the masters (the cursor budget)
 * @param timeLimit the longest the analysis runs; it stops and reports what it saw
 * @param samplePerGroup keys per group whose {@code MEMORY USAGE} is measured (0: none)
 * @param largestKeys how many of the largest sampled keys are listed
 * @param maxGroups the most groups reported; further keys count under {@code (other)}
 */
public record KeyspaceScanOptions(String match, int groupSegments, int scanCount, long maxKeys, Duration timeLimit,
		int samplePerGroup, int largestKeys, int maxGroups) {

	/** The defaults: every key, 2 segments, COUNT 500, 100 000 keys, 5 s, 20 samples per group, 10 largest, 200 groups. */
	public static final KeyspaceScanOptions DEFAULTS = new KeyspaceScanOptions("*", 2, 500, 100_000,
			Duration.ofSeconds(5), 20, 10, 200);

	/**
	 * Validates the options.
	 */
	public KeyspaceScanOptions {
		if (groupSegments < 1 || scanCount < 1 || maxKeys < 1 || samplePerGroup < 0 || largestKeys < 0 || maxGroups < 1
				|| timeLimit.toMillis() < 1) {
			throw new IllegalArgumentException("Invalid keyspace scan options");
		}
	}

	/**
	 * Returns these options with another match pattern.
	 * @param match the {@code SCAN MATCH} pattern
	 * @return the options
	 */
	public KeyspaceScanOptions withMatch(String match) {
		return new KeyspaceScanOptions(match, this.groupSegments, this.scanCount, this.maxKeys, this.timeLimit,
				this.samplePerGroup, this.largestKeys, this.maxGroups);
	}

	/**
	 * Returns these options with another sample size.
	 * @param samplePerGroup keys per group measured with {@code MEMORY USAGE}
	 * @return the options
	 */
	public KeyspaceScanOptions withSamplePerGroup(int samplePerGroup) {
		return new KeyspaceScanOptions(this.match, this.groupSegments, this.scanCount, this.maxKeys, this.timeLimit,
				samplePerGroup, this.largestKeys, this.maxGroups);
	}

}
