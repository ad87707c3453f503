package io.redispatterns.leaderboard.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.leaderboard.Leaderboard;
import io.redispatterns.leaderboard.LeaderboardView;
import io.redispatterns.leaderboard.Leaderboards;
import io.redispatterns.leaderboard.Period;
import io.redispatterns.leaderboard.TieBreakEncoding;

import org.springframework.dao.DataAccessException;

/**
 * The {@code leaderboard} section of the {@code redispatterns} Actuator endpoint: the encoding
 * (score and tie-break bits), the zone, and each configured board's settings with the size of
 * its current period boards ({@code ZCARD}, one per period). Shows no members.
 */
public final class LeaderboardEndpointDetails implements PatternEndpointDetails {

	private final Leaderboards leaderboards;

	/**
	 * Creates the section.
	 * @param leaderboards the leaderboards
	 */
	public LeaderboardEndpointDetails(Leaderboards leaderboards) {
		this.leaderboards = leaderboards;
	}

	@Override
	public String patternName() {
		return "leaderboard";
	}

	@Override
	public Map<String, Object> describe() {
		Map<String, Object> description = new LinkedHashMap<>();
		if (!(this.leaderboards instanceof RedisLeaderboards redis)) {
			description.put("implementation", this.leaderboards.getClass().getName());
			return description;
		}
		description.put("scoreBits", redis.encoding.scoreBits());
		description.put("tieBreakBits", redis.encoding.tieBreakBits());
		description.put("maxWeightSum", TieBreakEncoding.maxWeightSum());
		description.put("zone", redis.zone().getId());
		description.put("eventIdTtl", redis.eventIdTtl().toString());
		Map<String, Object> boards = new LinkedHashMap<>();
		redis.configuredBoards().forEach((name, settings) -> {
			Leaderboard board = redis.board(name);
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("periods", settings.periods().stream().map(Period::displayName).toList());
			details.put("group", board.view(settings.periods().get(0)).group());
			details.put("retention", settings.retention().toString());
			details.put("allTimeIdleTtl", settings.allTimeIdleTtl().toString());
			details.put("keepTop", settings.keepTop());
			Map<String, Object> sizes = new LinkedHashMap<>();
			for (Period period : settings.periods()) {
				LeaderboardView view = board.view(period);
				try {
					sizes.put(view.window(), view.size());
				}
				catch (DataAccessException | io.redispatterns.core.RedisPatternsException ex) {
					sizes.put(view.window(), "unavailable");
				}
			}
			details.put("currentSizes", sizes);
			boards.put(name, details);
		});
		description.put("boards", boards);
		return description;
	}

}
