package io.redispatterns.sample.leaderboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.leaderboard.Leaderboard;
import io.redispatterns.leaderboard.LeaderboardView;
import io.redispatterns.leaderboard.Leaderboards;
import io.redispatterns.leaderboard.Period;
import io.redispatterns.leaderboard.RankedEntry;
import io.redispatterns.leaderboard.ScoreUpdate;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The arcade's leaderboard ({@code arcade} in {@code application.yml}: daily, weekly, monthly and
 * all-time boards): {@code POST /api/scores} adds points, {@code GET /api/leaderboard} shows a
 * period's top players, {@code GET /api/leaderboard/players/{player}} a player's ranks and neighbours.
 */
@RestController
class LeaderboardController {

	private final Leaderboard arcade;

	LeaderboardController(Leaderboards leaderboards) {
		this.arcade = leaderboards.board("arcade");
	}

	@PostMapping("/api/scores")
	ResponseEntity<Map<String, Object>> score(@RequestBody ScoreRequest request) {
		if (request.player() == null || request.player().isBlank() || request.points() <= 0) {
			return ResponseEntity.badRequest().body(Map.of("error", "player and positive points are required"));
		}
		ScoreUpdate update = (request.eventId() != null)
				? this.arcade.increment(request.player(), request.points(), request.eventId())
				: this.arcade.increment(request.player(), request.points());
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("player", update.member());
		body.put("applied", update.applied());
		Map<String, Long> points = new LinkedHashMap<>();
		update.points().forEach((period, value) -> points.put(period.displayName(), value));
		body.put("points", points);
		return ResponseEntity.status(HttpStatus.OK).body(body);
	}

	@GetMapping("/api/leaderboard")
	Map<String, Object> top(@RequestParam(defaultValue = "all-time") String period,
			@RequestParam(defaultValue = "10") int top) {
		LeaderboardView view = this.arcade.view(Period.parse(period));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("period", Period.parse(period).displayName());
		body.put("window", view.window());
		body.put("entries", entries(view.top(Math.max(1, Math.min(top, 100)))));
		return body;
	}

	@GetMapping("/api/leaderboard/players/{player}")
	ResponseEntity<Map<String, Object>> player(@PathVariable String player) {
		Map<String, Object> ranks = new LinkedHashMap<>();
		for (Period period : this.arcade.periods()) {
			this.arcade.view(period).entry(player).ifPresent((entry) -> ranks.put(period.displayName(),
					Map.of("rank", entry.rank(), "points", entry.points())));
		}
		if (ranks.isEmpty()) {
			return ResponseEntity.notFound().build();
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("player", player);
		body.put("ranks", ranks);
		body.put("aroundAllTime", entries(this.arcade.view(Period.ALL_TIME).around(player, 2)));
		return ResponseEntity.ok(body);
	}

	private static List<Map<String, Object>> entries(List<RankedEntry> entries) {
		return entries.stream()
			.map((entry) -> Map.<String, Object>of("rank", entry.rank(), "player", entry.member(), "points", entry.points()))
			.toList();
	}

}
