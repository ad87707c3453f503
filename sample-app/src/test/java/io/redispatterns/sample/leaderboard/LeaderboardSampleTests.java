package io.redispatterns.sample.leaderboard;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The README's leaderboard walkthrough and the keyspace endpoint, against the embedded Redis default.
 */
@SpringBootTest
@AutoConfigureMockMvc
class LeaderboardSampleTests {

	@Autowired
	private MockMvc mvc;

	@Test
	void scoresRankPlayersOnEveryPeriodBoardAndARetriedScoreCountsOnce() throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 6);
		String ann = "ann-" + run;
		String bob = "bob-" + run;
		score("{\"player\":\"" + ann + "\",\"points\":1000000}");
		score("{\"player\":\"" + bob + "\",\"points\":400000}");
		score("{\"player\":\"" + bob + "\",\"points\":500000,\"eventId\":\"" + run + "\"}");
		this.mvc
			.perform(post("/api/scores").contentType(MediaType.APPLICATION_JSON)
				.content("{\"player\":\"" + bob + "\",\"points\":500000,\"eventId\":\"" + run + "\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.applied").value(false))
			.andExpect(jsonPath("$.points.daily").value(900000));
		this.mvc.perform(get("/api/leaderboard").param("period", "daily").param("top", "10"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.period").value("daily"))
			.andExpect(jsonPath("$.entries[0].player").value(ann))
			.andExpect(jsonPath("$.entries[0].rank").value(1))
			.andExpect(jsonPath("$.entries[1].player").value(bob))
			.andExpect(jsonPath("$.entries[1].points").value(900000));
		this.mvc.perform(get("/api/leaderboard/players/" + bob))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.ranks.weekly.rank").value(2))
			.andExpect(jsonPath("$.ranks.all-time.points").value(900000))
			.andExpect(jsonPath("$.aroundAllTime[*].player", hasItem(ann)));
		this.mvc.perform(get("/api/leaderboard/players/nobody-" + run)).andExpect(status().isNotFound());
		this.mvc.perform(get("/actuator/redispatterns/keyspace"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.groups[*].prefix", hasItem("sample:lb:{arcade}")))
			.andExpect(jsonPath("$.scannedKeys").isNumber());
		this.mvc.perform(get("/actuator/redispatterns/leaderboard"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.boards.arcade.periods[1]").value("daily"));
	}

	private void score(String body) throws Exception {
		this.mvc.perform(post("/api/scores").contentType(MediaType.APPLICATION_JSON).content(body))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.applied").value(true));
	}

}
