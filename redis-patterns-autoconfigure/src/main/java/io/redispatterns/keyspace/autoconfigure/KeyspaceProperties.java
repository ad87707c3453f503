package io.redispatterns.keyspace.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of keyspace analysis.
 */
@ConfigurationProperties("redis-patterns.keyspace")
public class KeyspaceProperties {

	/**
	 * Whether keyspace analysis (the KeyspaceAnalyzer bean, the keyspace endpoint section and the TTL gauge) is enabled.
	 */
	private boolean enabled = true;

	/**
	 * SCAN MATCH pattern of the endpoint's analysis; "*" for every key, or "<prefix>:*" for an ACL user limited to the prefix.
	 */
	private String match = "*";

	/**
	 * Number of ':'-separated segments that form the group of an application key.
	 */
	private int groupSegments = 2;

	/**
	 * COUNT hint of each SCAN call.
	 */
	private int scanCount = 500;

	/**
	 * Most keys one analysis examines, shared evenly by the masters.
	 */
	private long maxKeys = 100_000;

	/**
	 * Longest time one analysis runs; it then stops and reports what it saw.
	 */
	private Duration timeLimit = Duration.ofSeconds(5);

	/**
	 * Keys per group whose MEMORY USAGE is measured to estimate the group's memory; 0 for none.
	 */
	private int samplePerGroup = 20;

	/**
	 * Number of largest sampled keys listed.
	 */
	private int largestKeys = 10;

	/**
	 * Most groups reported; keys of further groups count under "(other)".
	 */
	private int maxGroups = 200;

	/**
	 * Whether the endpoint shows full key names of the largest keys, rather than their group and a digest.
	 */
	private boolean revealKeyNames;

	/**
	 * Gauge of keys without a TTL under the library's prefix.
	 */
	private final TtlGauge ttlGauge = new TtlGauge();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getMatch() {
		return this.match;
	}

	public void setMatch(String match) {
		this.match = match;
	}

	public int getGroupSegments() {
		return this.groupSegments;
	}

	public void setGroupSegments(int groupSegments) {
		this.groupSegments = groupSegments;
	}

	public int getScanCount() {
		return this.scanCount;
	}

	public void setScanCount(int scanCount) {
		this.scanCount = scanCount;
	}

	public long getMaxKeys() {
		return this.maxKeys;
	}

	public void setMaxKeys(long maxKeys) {
		this.maxKeys = maxKeys;
	}

	public Duration getTimeLimit() {
		return this.timeLimit;
	}

	public void setTimeLimit(Duration timeLimit) {
		this.timeLimit = timeLimit;
	}

	public int getSamplePerGroup() {
		return this.samplePerGroup;
	}

	public void setSamplePerGroup(int samplePerGroup) {
		this.samplePerGroup = samplePerGroup;
	}

	public int getLargestKeys() {
		return this.largestKeys;
	}

	public void setLargestKeys(int largestKeys) {
		this.largestKeys = largestKeys;
	}

	public int getMaxGroups() {
		return this.maxGroups;
	}

	public void setMaxGroups(int maxGroups) {
		this.maxGroups = maxGroups;
	}

	public boolean isRevealKeyNames() {
		return this.revealKeyNames;
	}

	public void setRevealKeyNames(boolean revealKeyNames) {
		this.revealKeyNames = revealKeyNames;
	}

	public TtlGauge getTtlGauge() {
		return this.ttlGauge;
	}

	/**
	 * Settings of the TTL gauge.
	 */
	public static class TtlGauge {

		/**
		 * Whether the gauge of keys without a TTL under the library's prefix is registered and refreshed.
		 */
		private boolean enabled = true;

		/**
		 * Time between two refreshes (each a bounded scan of the library's prefix).
		 */
		private Duration interval = Duration.ofMinutes(5);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

}
