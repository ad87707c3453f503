package io.redispatterns.idempotency;

import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Redis stopped under a running application (a dedicated server): by default a keyed request is
 * refused with 503, {@code Retry-After} and a problem body, and the handler does not run; with
 * {@code fail-open} it runs unprotected. Both count {@code outcome=unavailable}.
 */
@WithRedis(shared = false)
@SpringBootTest(classes = IdempotencyWebApplication.class,
		properties = { "redis-patterns.key-prefix=idemdown", "spring.data.redis.timeout=500ms" })
@AutoConfigureMockMvc
class IdempotencyRedisDownTests {

	private static final String ORDER = "{\"item\":\"cup\",\"quantity\":1}";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private IdempotencyWebApplication.Calls calls;

	@Autowired
	private MeterRegistry meterRegistry;

	private StandaloneRedis redis;

	@AfterEach
	void restart() {
		restartIfStopped(this.redis);
	}

	static void restartIfStopped(StandaloneRedis redis) {
		if (redis != null && !redis.node().isRunning()) {
			redis.node().restart();
		}
	}

	@Test
	void failsClosedWith503ProblemAndRetryAfterWithoutRunningTheHandler() throws Exception {
		this.mvc.perform(order(UUID.randomUUID().toString())).andExpect(status().isCreated());
		this.redis.node().kill();
		int before = this.calls.count("orders");
		this.mvc.perform(order(UUID.randomUUID().toString()))
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().string("Retry-After", "1"))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://redis-patterns.io/problems/idempotency-unavailable"));
		assertThat(this.calls.count("orders")).isEqualTo(before);
		assertThat(unavailable(this.meterRegistry)).isPositive();
	}

	static MockHttpServletRequestBuilder order(String key) {
		return post("/orders").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).content(ORDER);
	}

	static double unavailable(MeterRegistry registry) {
		return registry.find("redis.patterns.idempotency.requests")
			.tag("outcome", "unavailable")
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

	@Nested
	@TestPropertySource(properties = "redis-patterns.idempotency.failure-mode=fail-open")
	class FailOpen {

		@Autowired
		private MockMvc mvc;

		@Autowired
		private IdempotencyWebApplication.Calls calls;

		@Autowired
		private MeterRegistry meterRegistry;

		private StandaloneRedis redis;

		@AfterEach
		void restart() {
			restartIfStopped(this.redis);
		}

		@Test
		void runsTheHandlerWithoutProtectionAndCountsIt() throws Exception {
			this.mvc.perform(order(UUID.randomUUID().toString())).andExpect(status().isCreated());
			this.redis.node().kill();
			int before = this.calls.count("orders");
			String key = UUID.randomUUID().toString();
			this.mvc.perform(order(key)).andExpect(status().isCreated());
			this.mvc.perform(order(key)).andExpect(status().isCreated());
			assertThat(this.calls.count("orders")).isEqualTo(before + 2);
			assertThat(unavailable(this.meterRegistry)).isEqualTo(2);
		}

	}

}
