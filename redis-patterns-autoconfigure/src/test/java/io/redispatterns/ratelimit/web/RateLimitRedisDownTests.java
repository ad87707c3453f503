package io.redispatterns.ratelimit.web;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.RedisCircuitBreaker;
import io.redispatterns.ratelimit.internal.RedisRateLimiter;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Redis killed under a running application (a dedicated server, not the shared one): a
 * {@code fail-open} policy allows and counts {@code degraded}, a {@code fail-closed} policy answers
 * 503 with a problem body, nothing answers 500, and once the circuit breaker is open requests do
 * not ask Redis (refused by the breaker, counted as {@code circuit-open}). The limiter's own 200 ms
 * timeouts count against the breaker because Lettuce is reconnecting the lost connection meanwhile.
 * After a restart the breaker's probe closes it again. How fast a decision is without Redis is
 * measured in the benchmarks, not asserted here.
 */
@WithRedis(shared = false)
@SpringBootTest(classes = RateLimitWebApplication.class,
		properties = { "redis-patterns.key-prefix=down", "spring.data.redis.timeout=5s",
				"redis-patterns.rate-limit.timeout=200ms",
				"redis-patterns.rate-limit.circuit-breaker.failure-threshold=3",
				"redis-patterns.rate-limit.circuit-breaker.open-duration=500ms",
				"redis-patterns.rate-limit.policies.lenient.limit=1000",
				"redis-patterns.rate-limit.policies.lenient.window=1m",
				"redis-patterns.rate-limit.policies.lenient.paths=/open/**",
				"redis-patterns.rate-limit.policies.strict.limit=1000",
				"redis-patterns.rate-limit.policies.strict.window=1m",
				"redis-patterns.rate-limit.policies.strict.failure-mode=fail-closed",
				"redis-patterns.rate-limit.policies.strict.paths=/tenants/**",
				"redis-patterns.rate-limit.policies.quotes.limit=1000",
				"redis-patterns.rate-limit.policies.quotes.window=1m",
				"redis-patterns.rate-limit.policies.reports.limit=1000",
				"redis-patterns.rate-limit.policies.reports.window=1m" })
@AutoConfigureMockMvc
class RateLimitRedisDownTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MeterRegistry meterRegistry;

	@Autowired
	private RedisRateLimiter rateLimiter;

	@Test
	void failOpenAllowsFailClosedAnswers503AndNothingAnswers500(StandaloneRedis redis) throws Exception {
		this.mvc.perform(get("/open/a")).andExpect(status().isOk()).andExpect(header().exists("X-RateLimit-Limit"));
		this.mvc.perform(get("/tenants/t")).andExpect(status().isOk());

		redis.node().kill();

		for (int i = 0; i < 10; i++) {
			MvcResult open = this.mvc.perform(get("/open/a")).andReturn();
			MvcResult closed = this.mvc.perform(get("/tenants/t")).andReturn();
			assertThat(open.getResponse().getStatus()).isEqualTo(200);
			assertThat(closed.getResponse().getStatus()).isEqualTo(503);
		}
		assertThat(this.rateLimiter.circuitBreaker("strict").state()).isNotEqualTo(RedisCircuitBreaker.State.CLOSED);
		this.mvc.perform(get("/tenants/t"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(header().exists("Retry-After"))
			.andExpect(jsonPath("$.status").value(503))
			.andExpect(jsonPath("$.policy").value("strict"));
		assertThat(this.meterRegistry.get("redis.patterns.ratelimit.decisions")
			.tag("policy", "lenient")
			.tag("result", "degraded")
			.counter()
			.count()).isGreaterThanOrEqualTo(10);
		// every decision without Redis is counted as a failure; once the breaker opened, requests did
		// not wait for Redis: they were refused by the breaker without a command being sent
		assertThat(failures()).isGreaterThanOrEqualTo(20);
		assertThat(circuitOpenFailures()).isPositive();

		redis.node().restart();
		// a fail-open decision carries rate-limit headers again once it reached Redis
		Awaitility.await("decisions reach Redis again after the restart").atMost(Duration.ofSeconds(30)).until(() -> {
			MvcResult result = this.mvc.perform(get("/open/a")).andReturn();
			assertThat(result.getResponse().getStatus()).isEqualTo(200);
			return result.getResponse().getHeader("X-RateLimit-Limit") != null;
		});
		// breakers are per policy: the probing policy's closed, the other one's closes on its own next probe,
		// once its open-duration has passed (until then it answers 503 without asking Redis)
		assertThat(this.rateLimiter.circuitBreaker("lenient").state()).isEqualTo(RedisCircuitBreaker.State.CLOSED);
		Awaitility.await("the fail-closed policy decides in Redis again").atMost(Duration.ofSeconds(30)).until(() -> {
			int strictStatus = this.mvc.perform(get("/tenants/t")).andReturn().getResponse().getStatus();
			assertThat(strictStatus).isIn(200, 503);
			return strictStatus == 200;
		});
		assertThat(this.rateLimiter.circuitBreaker("strict").state()).isEqualTo(RedisCircuitBreaker.State.CLOSED);
	}

	private double failures() {
		return this.meterRegistry.find("redis.patterns.ratelimit.failures")
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

	private double circuitOpenFailures() {
		return this.meterRegistry.find("redis.patterns.ratelimit.failures")
			.tag("reason", "circuit-open")
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

}
