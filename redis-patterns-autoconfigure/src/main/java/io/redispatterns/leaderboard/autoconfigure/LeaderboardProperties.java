package io.redispatterns.leaderboard.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.autoconfigure.DeprecatedPropertyNames;
import io.redispatterns.leaderboard.Period;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * Settings of leaderboards.
 */
@ConfigurationProperties("redis-patterns.leaderboard")
public class LeaderboardProperties {

	/**
	 * Whether leaderboards (the Leaderboards bean) are enabled.
	 */
	private boolean enabled = true;

	/**
	 * Zone in which daily, weekly and monthly boards start and end.
	 */
	private ZoneId zone = ZoneId.of("UTC");

	/**
	 * Bits for the points' magnitude: points are exact up to 2^score-bits - 1; the remaining
	 * 53 - score-bits - 3 bits order equal points by who reached them first.
	 */
	private int scoreBits = 40;

	/**
	 * Start of the window over which the all-time board's tie-break time is spread.
	 */
	private Instant allTimeEpoch = Instant.parse("2025-01-01T00:00:00Z");

	/**
	 * Length of the window over which the all-time board's tie-break time is spread.
	 */
	private Duration allTimeHorizon = Duration.ofDays(3650);

	/**
	 * How long the event id of an increment is remembered, so a repeated increment counts once.
	 */
	private Duration idempotencyWindow = Duration.ofHours(24);

	/**
	 * Period boards every write goes to, for boards without settings of their own.
	 */
	private List<Period> periods = new ArrayList<>(List.of(Period.ALL_TIME));

	/**
	 * How long a daily, weekly or monthly board is kept after its window ends.
	 */
	private Duration retention = Duration.ofDays(7);

	/**
	 * How long an all-time board is kept after its last write; 0 keeps it forever.
	 */
	private Duration allTimeIdleTtl = Duration.ofDays(365);

	/**
	 * Most members a board keeps after each write (lower ranks are removed); 0 for no limit.
	 */
	private int keepTop;

	/**
	 * Settings per board name, overriding the ones above.
	 */
	private Map<String, Board> boards = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public ZoneId getZone() {
		return this.zone;
	}

	public void setZone(ZoneId zone) {
		this.zone = zone;
	}

	public int getScoreBits() {
		return this.scoreBits;
	}

	public void setScoreBits(int scoreBits) {
		this.scoreBits = scoreBits;
	}

	public Instant getAllTimeEpoch() {
		return this.allTimeEpoch;
	}

	public void setAllTimeEpoch(Instant allTimeEpoch) {
		this.allTimeEpoch = allTimeEpoch;
	}

	public Duration getAllTimeHorizon() {
		return this.allTimeHorizon;
	}

	public void setAllTimeHorizon(Duration allTimeHorizon) {
		this.allTimeHorizon = allTimeHorizon;
	}

	public Duration getIdempotencyWindow() {
		return this.idempotencyWindow;
	}

	public void setIdempotencyWindow(Duration idempotencyWindow) {
		this.idempotencyWindow = idempotencyWindow;
	}

	/**
	 * How long the event id of an increment is remembered.
	 * @return the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code idempotency-window}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@DeprecatedConfigurationProperty(replacement = "redis-patterns.leaderboard.idempotency-window", since = "0.1.0")
	public Duration getEventIdTtl() {
		return this.idempotencyWindow;
	}

	/**
	 * Sets the value of {@code event-id-ttl}.
	 * @param eventIdTtl the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code idempotency-window}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public void setEventIdTtl(Duration eventIdTtl) {
		DeprecatedPropertyNames.warn("redis-patterns.leaderboard.event-id-ttl", "redis-patterns.leaderboard.idempotency-window");
		this.idempotencyWindow = eventIdTtl;
	}

	public List<Period> getPeriods() {
		return this.periods;
	}

	public void setPeriods(List<Period> periods) {
		this.periods = periods;
	}

	public Duration getRetention() {
		return this.retention;
	}

	public void setRetention(Duration retention) {
		this.retention = retention;
	}

	public Duration getAllTimeIdleTtl() {
		return this.allTimeIdleTtl;
	}

	public void setAllTimeIdleTtl(Duration allTimeIdleTtl) {
		this.allTimeIdleTtl = allTimeIdleTtl;
	}

	public int getKeepTop() {
		return this.keepTop;
	}

	public void setKeepTop(int keepTop) {
		this.keepTop = keepTop;
	}

	public Map<String, Board> getBoards() {
		return this.boards;
	}

	public void setBoards(Map<String, Board> boards) {
		this.boards = boards;
	}

	/**
	 * Settings of one board; unset values come from the leaderboard defaults.
	 */
	public static class Board {

		/**
		 * Period boards every write goes to.
		 */
		private @Nullable List<Period> periods;

		/**
		 * Hash-tag group: boards of one group share a Cluster slot and can be combined. Defaults to the board's name.
		 */
		private @Nullable String group;

		/**
		 * How long a daily, weekly or monthly board is kept after its window ends.
		 */
		private @Nullable Duration retention;

		/**
		 * How long the all-time board is kept after its last write; 0 keeps it forever.
		 */
		private @Nullable Duration allTimeIdleTtl;

		/**
		 * Most members the board keeps after each write; 0 for no limit.
		 */
		private @Nullable Integer keepTop;

		public @Nullable List<Period> getPeriods() {
			return this.periods;
		}

		public void setPeriods(@Nullable List<Period> periods) {
			this.periods = periods;
		}

		public @Nullable String getGroup() {
			return this.group;
		}

		public void setGroup(@Nullable String group) {
			this.group = group;
		}

		public @Nullable Duration getRetention() {
			return this.retention;
		}

		public void setRetention(@Nullable Duration retention) {
			this.retention = retention;
		}

		public @Nullable Duration getAllTimeIdleTtl() {
			return this.allTimeIdleTtl;
		}

		public void setAllTimeIdleTtl(@Nullable Duration allTimeIdleTtl) {
			this.allTimeIdleTtl = allTimeIdleTtl;
		}

		public @Nullable Integer getKeepTop() {
			return this.keepTop;
		}

		public void setKeepTop(@Nullable Integer keepTop) {
			this.keepTop = keepTop;
		}

	}

}
