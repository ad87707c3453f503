package io.redispatterns.leaderboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.RedisKeys;
import io.redispatterns.leaderboard.internal.RedisLeaderboards;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Builds {@link Leaderboards}; every setting has a default.
 */
public final class LeaderboardsBuilder {

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private Clock clock = Clock.systemUTC();

	private ZoneId zone = ZoneOffset.UTC;

	private int scoreBits = 40;

	private Instant allTimeEpoch = Instant.parse("2025-01-01T00:00:00Z");

	private Duration allTimeHorizon = Duration.ofDays(3650);

	private Duration eventIdTtl = Duration.ofHours(24);

	private BoardSettings defaults = new BoardSettings(List.of(Period.ALL_TIME), "", Duration.ofDays(7), Duration.ofDays(365),
			0);

	private final Map<String, BoardSettings> boards = new LinkedHashMap<>();

	private LeaderboardMetrics metrics = LeaderboardMetrics.NONE;

	LeaderboardsBuilder(StringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * Sets the clock that decides the current windows and tie-break times.
	 * @param clock the clock
	 * @return this builder
	 */
	public LeaderboardsBuilder clock(Clock clock) {
		this.clock = clock;
		return this;
	}

	/**
	 * Sets the zone in which days, weeks and months start.
	 * @param zone the zone
	 * @return this builder
	 */
	public LeaderboardsBuilder zone(ZoneId zone) {
		this.zone = zone;
		return this;
	}

	/**
	 * Sets the bits for the points' magnitude (see {@link TieBreakEncoding}).
	 * @param scoreBits 20 to 49
	 * @return this builder
	 */
	public LeaderboardsBuilder scoreBits(int scoreBits) {
		this.scoreBits = scoreBits;
		return this;
	}

	/**
	 * Sets the window over which the all-time board's tie-break is spread.
	 * @param epoch its start
	 * @param horizon its length
	 * @return this builder
	 */
	public LeaderboardsBuilder allTimeWindow(Instant epoch, Duration horizon) {
		this.allTimeEpoch = epoch;
		this.allTimeHorizon = horizon;
		return this;
	}

	/**
	 * Sets how long increment event ids are remembered.
	 * @param ttl the time to live
	 * @return this builder
	 */
	public LeaderboardsBuilder eventIdTtl(Duration ttl) {
		this.eventIdTtl = ttl;
		return this;
	}

	/**
	 * Sets the settings of boards that have none of their own (the group is ignored: it is the board's name).
	 * @param defaults the settings
	 * @return this builder
	 */
	public LeaderboardsBuilder defaults(BoardSettings defaults) {
		this.defaults = defaults;
		return this;
	}

	/**
	 * Sets one board's settings (an empty group means the board's name).
	 * @param name the board
	 * @param settings its settings
	 * @return this builder
	 */
	public LeaderboardsBuilder board(String name, BoardSettings settings) {
		this.boards.put(name, settings);
		return this;
	}

	/**
	 * Sets where metrics go.
	 * @param metrics the metrics
	 * @return this builder
	 */
	public LeaderboardsBuilder metrics(LeaderboardMetrics metrics) {
		this.metrics = metrics;
		return this;
	}

	/**
	 * Builds the leaderboards.
	 * @return the leaderboards
	 */
	public Leaderboards build() {
		return new RedisLeaderboards(this.redis, this.keys, this.clock, this.zone, this.scoreBits, this.allTimeEpoch,
				this.allTimeHorizon, this.eventIdTtl, this.defaults, this.boards, this.metrics);
	}

}
