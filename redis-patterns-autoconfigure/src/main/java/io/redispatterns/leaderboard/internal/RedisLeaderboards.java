package io.redispatterns.leaderboard.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.redispatterns.core.LuaScript;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RedisFailureKind;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.ScriptResult;
import io.redispatterns.leaderboard.BoardSettings;
import io.redispatterns.leaderboard.Leaderboard;
import io.redispatterns.leaderboard.LeaderboardMetrics;
import io.redispatterns.leaderboard.LeaderboardView;
import io.redispatterns.leaderboard.Leaderboards;
import io.redispatterns.leaderboard.Period;
import io.redispatterns.leaderboard.ScoreUpdate;
import io.redispatterns.leaderboard.TieBreakEncoding;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.zset.Aggregate;
import org.springframework.data.redis.connection.zset.Weights;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link Leaderboards} on a {@link StringRedisTemplate}; built by {@link Leaderboards#builder} (the public
 * way in: this class is not API).
 */
public final class RedisLeaderboards implements Leaderboards {

	static final String PATTERN = "lb";

	private static final LuaScript<List<Object>> WRITE = LuaScript.load(Leaderboards.class, "write.lua", ScriptResult.LIST);

	static final LuaScript<List<Object>> ENTRY = LuaScript.load(Leaderboards.class, "entry.lua", ScriptResult.LIST);

	static final LuaScript<List<Object>> AROUND = LuaScript.load(Leaderboards.class, "around.lua", ScriptResult.LIST);

	final StringRedisTemplate redis;

	final LuaScriptRunner scripts;

	private final RedisKeys keys;

	private final Clock clock;

	private final ZoneId zone;

	final TieBreakEncoding encoding;

	private final Instant allTimeEpoch;

	private final Duration allTimeHorizon;

	private final Duration eventIdTtl;

	private final BoardSettings defaults;

	private final Map<String, BoardSettings> boards;

	private final LeaderboardMetrics metrics;

	/**
	 * Creates the leaderboards (see {@code LeaderboardsBuilder} for the meaning of every value).
	 * @param redis the template to run commands with
	 * @param keys the key builder
	 * @param clock decides the current windows and tie-break times
	 * @param zone the zone in which days, weeks and months start
	 * @param scoreBits the bits for the points' magnitude
	 * @param allTimeEpoch the start of the all-time board's tie-break window
	 * @param allTimeHorizon the length of that window
	 * @param eventIdTtl how long increment event ids are remembered
	 * @param defaults the settings of boards that have none of their own
	 * @param boards the settings of each configured board, by name
	 * @param metrics where to report
	 */
	public RedisLeaderboards(StringRedisTemplate redis, RedisKeys keys, Clock clock, ZoneId zone, int scoreBits,
			Instant allTimeEpoch, Duration allTimeHorizon, Duration eventIdTtl, BoardSettings defaults,
			Map<String, BoardSettings> boards, LeaderboardMetrics metrics) {
		this.redis = redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.keys = keys;
		this.clock = clock;
		this.zone = zone;
		this.encoding = new TieBreakEncoding(scoreBits);
		this.allTimeEpoch = allTimeEpoch;
		this.allTimeHorizon = allTimeHorizon;
		this.eventIdTtl = eventIdTtl;
		this.defaults = defaults;
		this.boards = Map.copyOf(boards);
		this.metrics = metrics;
		if (this.allTimeHorizon.isNegative() || this.allTimeHorizon.isZero()) {
			throw new IllegalArgumentException("The all-time horizon must be positive");
		}
	}

	@Override
	public Clock clock() {
		return this.clock;
	}

	/** Settings of every configured board, by name. */
	Map<String, BoardSettings> configuredBoards() {
		return this.boards;
	}

	ZoneId zone() {
		return this.zone;
	}

	Duration eventIdTtl() {
		return this.eventIdTtl;
	}

	@Override
	public Leaderboard board(String name) {
		BoardSettings configured = this.boards.get(name);
		BoardSettings settings = (configured != null) ? configured : this.defaults;
		String group = (configured != null && !configured.group().isEmpty()) ? configured.group() : name;
		return new Board(name, settings.withGroup(group));
	}

	@Override
	// NullAway: a RedisCallback may return null (Spring Data Redis declares <T extends @Nullable Object>), which
	// NullAway sees only in JSpecify mode, not available on JDK 17 (CONTRIBUTING.md, "Checks")
	@SuppressWarnings("NullAway")
	public LeaderboardView combine(String destination, Duration ttl, List<Weighted> sources) {
		if (sources.isEmpty()) {
			throw new IllegalArgumentException("Combining needs at least one board");
		}
		String group = sources.get(0).view().group();
		int weightSum = 0;
		List<String> sourceKeys = new ArrayList<>();
		double[] weights = new double[sources.size()];
		for (int i = 0; i < sources.size(); i++) {
			Weighted source = sources.get(i);
			if (!source.view().group().equals(group)) {
				throw new IllegalArgumentException("Boards of different groups ('" + group + "', '" + source.view().group()
						+ "') live in different Cluster slots and cannot be combined; give the boards one group with "
						+ "redis-patterns.leaderboard.boards.<name>.group");
			}
			if (source.weight() < 1) {
				throw new IllegalArgumentException("Weights must be positive integers: " + source.weight());
			}
			weightSum += source.weight();
			weights[i] = source.weight();
			sourceKeys.add(((View) source.view()).key);
		}
		if (weightSum > TieBreakEncoding.maxWeightSum()) {
			throw new IllegalArgumentException("The weights sum to " + weightSum + "; at most "
					+ TieBreakEncoding.maxWeightSum() + " keep the points exact (see TieBreakEncoding)");
		}
		if (ttl.toMillis() < 1) {
			throw new IllegalArgumentException("A combined board needs a time to live");
		}
		View target = (View) combined(group, destination);
		timed(destination, "combine", () -> {
			this.redis.execute((RedisCallback<Object>) (connection) -> {
				byte[][] others = sourceKeys.stream().skip(1).map(RedisLeaderboards::bytes).toArray(byte[][]::new);
				byte[][] all = new byte[others.length + 1][];
				all[0] = bytes(sourceKeys.get(0));
				System.arraycopy(others, 0, all, 1, others.length);
				connection.zSetCommands().zUnionStore(bytes(target.key), Aggregate.SUM, Weights.of(weights), all);
				connection.keyCommands().pExpire(bytes(target.key), ttl.toMillis());
				return null;
			});
			return null;
		});
		return target;
	}

	@Override
	public LeaderboardView combined(String group, String destination) {
		return new View(this, destination, group, "combined", key(group, destination, "combined"));
	}

	String key(String group, String board, String window) {
		return this.keys.namespace(PATTERN) + "{" + RedisKeys.escape(group) + "}:" + RedisKeys.escape(board) + ":"
				+ window;
	}

	PeriodWindow window(Period period, LocalDate day) {
		if (period == Period.ALL_TIME) {
			long start = this.allTimeEpoch.toEpochMilli();
			return new PeriodWindow("all", start, start + this.allTimeHorizon.toMillis());
		}
		return PeriodWindow.of(period, day, this.zone);
	}

	LocalDate today() {
		return LocalDate.ofInstant(this.clock.instant(), this.zone);
	}

	<T> T timed(String board, String operation, Supplier<T> call) {
		long start = System.nanoTime();
		try {
			T result = call.get();
			this.metrics.operation(board, operation, (result instanceof ScoreUpdate update)
					? resultOf(update) : "ok", Duration.ofNanos(System.nanoTime() - start));
			return result;
		}
		catch (RuntimeException ex) {
			RedisFailureKind kind = RedisFailures.classify(ex);
			this.metrics.operation(board, operation, switch (kind) {
				case UNAVAILABLE -> "unavailable";
				case OUTCOME_UNKNOWN -> "outcome-unknown";
				case NOT_REDIS -> "error";
			}, Duration.ofNanos(System.nanoTime() - start));
			if (ex instanceof IllegalArgumentException) {
				throw ex;
			}
			throw RedisFailures.translate("Leaderboard " + board + " " + operation, ex);
		}
	}

	private static String resultOf(ScoreUpdate update) {
		return update.applied() ? "applied" : "unchanged";
	}

	static byte[] bytes(String value) {
		return value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	/** One named board with its settings. */
	private final class Board implements Leaderboard {

		private final String name;

		private final BoardSettings settings;

		Board(String name, BoardSettings settings) {
			this.name = name;
			this.settings = settings;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public List<Period> periods() {
			return this.settings.periods();
		}

		@Override
		public ScoreUpdate record(String member, long points) {
			return write("record", "set", member, points, null);
		}

		@Override
		public ScoreUpdate recordIfHigher(String member, long points) {
			return write("record-if-higher", "best", member, points, null);
		}

		@Override
		public ScoreUpdate increment(String member, long delta) {
			return write("increment", "incr", member, delta, null);
		}

		@Override
		public ScoreUpdate increment(String member, long delta, String eventId) {
			return write("increment", "incr", member, delta, eventId);
		}

		@Override
		public LeaderboardView view(Period period) {
			return view(period, today());
		}

		@Override
		public LeaderboardView view(Period period, LocalDate day) {
			return new View(RedisLeaderboards.this, this.name, this.settings.group(), window(period, day).label(),
					key(this.settings.group(), this.name, window(period, day).label()));
		}

		private ScoreUpdate write(String operation, String mode, String member, long value, @Nullable String eventId) {
			RedisLeaderboards.this.encoding.requirePoints(value);
			long now = RedisLeaderboards.this.clock.millis();
			LocalDate today = LocalDate.ofInstant(Instant.ofEpochMilli(now), RedisLeaderboards.this.zone);
			List<String> keys = new ArrayList<>();
			List<String> args = new ArrayList<>(List.of(mode, member, Long.toString(value),
					Long.toString(RedisLeaderboards.this.encoding.scale()), Integer.toString(this.settings.keepTop()),
					(eventId != null) ? Long.toString(Math.max(1, RedisLeaderboards.this.eventIdTtl.toMillis())) : "0"));
			for (Period period : this.settings.periods()) {
				PeriodWindow window = window(period, today);
				keys.add(key(this.settings.group(), this.name, window.label()));
				args.add(Long.toString(RedisLeaderboards.this.encoding.tieBreak(now, window.startMillis(),
						window.endMillis())));
				args.add(expiry(period, window));
			}
			if (eventId != null) {
				keys.add(key(this.settings.group(), this.name, "ev:" + RedisKeys.escape(eventId)));
			}
			args.add(Long.toString(RedisLeaderboards.this.encoding.maxPoints()));
			return timed(this.name, operation, () -> {
				List<?> reply = RedisLeaderboards.this.scripts.run(WRITE, keys, args.toArray());
				if (reply == null || reply.isEmpty()) {
					throw new IllegalStateException("The leaderboard script returned no result");
				}
				long status = ((Number) reply.get(0)).longValue();
				if (status == -1) {
					throw new IllegalArgumentException("Leaderboard points must be within ±"
							+ RedisLeaderboards.this.encoding.maxPoints()
							+ " (redis-patterns.leaderboard.score-bits); the write would make them " + reply.get(1));
				}
				boolean applied = status == 1;
				Map<Period, Long> points = new EnumMap<>(Period.class);
				for (int i = 0; i < this.settings.periods().size(); i++) {
					Object score = (i + 1 < reply.size()) ? reply.get(i + 1) : null;
					if (score != null) {
						points.put(this.settings.periods().get(i),
								RedisLeaderboards.this.encoding.points(Double.parseDouble(score.toString())));
					}
				}
				return new ScoreUpdate(member, applied, points);
			});
		}

		private String expiry(Period period, PeriodWindow window) {
			if (period == Period.ALL_TIME) {
				long idle = this.settings.allTimeIdleTtl().toMillis();
				return (idle > 0) ? "in:" + idle : "none";
			}
			return "at:" + (window.endMillis() + this.settings.retention().toMillis());
		}

	}

}
