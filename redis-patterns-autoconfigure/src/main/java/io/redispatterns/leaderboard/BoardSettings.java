package io.redispatterns.leaderboard;

import java.time.Duration;
import java.util.List;

/**
 * Settings of one board.
 * @param periods the period boards every write goes to
 * @param group the hash-tag group (boards of one group share a Cluster slot and can be combined)
 * @param retention how long a daily, weekly or monthly board is kept after its window ends
 * @param allTimeIdleTtl how long the all-time board is kept after its last write (zero: forever)
 * @param keepTop the most members each board keeps after a write (0: no limit); lower ranks are trimmed
 */
public record BoardSettings(List<Period> periods, String group, Duration retention, Duration allTimeIdleTtl,
		int keepTop) {

	/**
	 * Validates and copies the settings.
	 */
	public BoardSettings {
		periods = List.copyOf(periods);
		if (periods.isEmpty()) {
			throw new IllegalArgumentException("A board needs at least one period");
		}
		if (keepTop < 0) {
			throw new IllegalArgumentException("keepTop must be 0 or more");
		}
	}

	/**
	 * Returns these settings with another group.
	 * @param group the group
	 * @return the settings
	 */
	public BoardSettings withGroup(String group) {
		return new BoardSettings(this.periods, group, this.retention, this.allTimeIdleTtl, this.keepTop);
	}

}
