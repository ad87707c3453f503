package io.redispatterns.sample.ratelimit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The sample's rate-limited endpoints, as in the README walkthrough, against the embedded Redis
 * default.
 */
@SpringBootTest
@AutoConfigureMockMvc
class SampleRateLimitTests {

	@Autowired
	private MockMvc mvc;

	private static MockHttpServletRequestBuilder quotesFrom(String ip) {
		return get("/api/quotes").with((request) -> {
			request.setRemoteAddr(ip);
			return request;
		});
	}

	@Test
	void quotesAllowTwentyPerMinutePerClientIpThenAnswer429() throws Exception {
		for (int i = 0; i < 20; i++) {
			this.mvc.perform(quotesFrom("198.51.100.10"))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.quote").isString())
				.andExpect(header().string("X-RateLimit-Limit", "20"))
				.andExpect(header().string("X-RateLimit-Remaining", Integer.toString(19 - i)))
				.andExpect(header().string("RateLimit-Policy", "\"quotes\";q=20;w=60"));
		}
		this.mvc.perform(quotesFrom("198.51.100.10"))
			.andExpect(status().isTooManyRequests())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(header().string("Retry-After", matchesPattern("[1-9][0-9]*")))
			.andExpect(header().string("RateLimit", matchesPattern("\"quotes\";r=0;t=[1-9][0-9]*")))
			.andExpect(jsonPath("$.policy").value("quotes"))
			.andExpect(jsonPath("$.limit").value(20))
			.andExpect(jsonPath("$['violated-policies'][0]").value("quotes"));
		this.mvc.perform(quotesFrom("198.51.100.11")).andExpect(status().isOk());
	}

	@Test
	void reportsAreLimitedPerApiKeyByATokenBucket() throws Exception {
		this.mvc.perform(get("/api/reports").header("X-Api-Key", "demo"))
			.andExpect(status().isOk())
			.andExpect(header().string("X-RateLimit-Limit", "20"))
			.andExpect(header().string("RateLimit-Policy", "\"reports\";q=20;w=4"));
		int rejected = 0;
		for (int i = 0; i < 40; i++) {
			int status = this.mvc.perform(get("/api/reports").header("X-Api-Key", "demo")).andReturn().getResponse().getStatus();
			assertThat(status).isIn(200, 429);
			rejected += (status == 429) ? 1 : 0;
		}
		assertThat(rejected).as("requests beyond the bucket's 20 tokens").isPositive();
		this.mvc.perform(get("/api/reports").header("X-Api-Key", "another")).andExpect(status().isOk());
		this.mvc.perform(get("/api/reports")).andExpect(status().isTooManyRequests());
	}

	@Test
	void actuatorListsThePolicies() throws Exception {
		this.mvc.perform(get("/actuator/redispatterns"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.patterns.rateLimit.policies.quotes.algorithm").value("sliding-window"))
			.andExpect(jsonPath("$.patterns.rateLimit.policies.reports.refillRate").value("5/1s"));
	}

}
