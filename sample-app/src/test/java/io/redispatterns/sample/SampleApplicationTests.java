package io.redispatterns.sample;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Starts the sample exactly as the README's run command does: nothing configured, so the
 * embedded redis-server default supplies Redis.
 */
@SpringBootTest
@AutoConfigureMockMvc
class SampleApplicationTests {

	@Autowired
	private MockMvc mvc;

	@Test
	void healthIsUpWithRedisDetailsFromTheEmbeddedDefault() throws Exception {
		this.mvc.perform(get("/actuator/health"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("UP"))
			.andExpect(jsonPath("$.components.redisPatterns.status").value("UP"))
			.andExpect(jsonPath("$.components.redisPatterns.details.mode").value("standalone"))
			.andExpect(jsonPath("$.components.redisPatterns.details.version").isString())
			.andExpect(jsonPath("$.components.redisPatterns.details.role").value("master"))
			.andExpect(jsonPath("$.components.redisPatterns.details.keyPrefix").value("sample"))
			.andExpect(jsonPath("$.components.redisPatterns.details.pingLatencyMs").isNumber())
			.andExpect(jsonPath("$.components.redisPatterns.details.clockSkewMs").isNumber());
	}

	@Test
	void prometheusAndRedisPatternsEndpointsAreExposed() throws Exception {
		this.mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk());
		this.mvc.perform(get("/actuator/redispatterns"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.keyPrefix").value("sample"))
			.andExpect(jsonPath("$.mode").value("standalone"));
	}

}
