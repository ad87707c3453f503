package io.redispatterns.responsecache;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Redis stopped under a running application (a dedicated server): every request is answered by
 * the handler, never with a 500; once the cache's circuit breaker opens the cache is bypassed
 * without waiting for a timeout (counted), and after Redis returns responses are stored again.
 */
@WithRedis(shared = false)
@SpringBootTest(classes = ResponseCacheWebApplication.class,
		properties = { "redis-patterns.key-prefix=rcdown", "spring.data.redis.timeout=300ms",
				"redis-patterns.cache.circuit-breaker.failure-threshold=2",
				"redis-patterns.cache.circuit-breaker.open-duration=300ms" })
@AutoConfigureMockMvc
class ResponseCacheRedisDownTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private ResponseCacheWebApplication.Calls calls;

	@Autowired
	private MeterRegistry meters;

	private StandaloneRedis redis;

	@AfterEach
	void restart() {
		if (this.redis != null && !this.redis.node().isRunning()) {
			this.redis.node().restart();
		}
	}

	@Test
	void theHandlerAnswersWhileRedisIsDownAndTheCacheIsUsedAgainAfterwards() throws Exception {
		this.mvc.perform(get("/items/1")).andExpect(status().isOk());
		this.redis.node().kill();
		int calls = this.calls.count("item");
		int requests = 0;
		while (bypassed() == 0) {
			assertThat(requests).as("requests before the breaker opened").isLessThan(50);
			this.mvc.perform(get("/items/1")).andExpect(status().isOk()).andExpect(jsonPath("$.id").value(1));
			requests++;
		}
		assertThat(this.calls.count("item")).isEqualTo(calls + requests);

		this.redis.node().restart();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (hits() == 0) {
			assertThat(System.nanoTime()).as("served from the cache again within 30s").isLessThan(deadline);
			this.mvc.perform(get("/items/1")).andExpect(status().isOk()).andExpect(jsonPath("$.id").value(1));
			Thread.sleep(20);
		}
	}

	private double bypassed() {
		return this.meters.find("redis.patterns.response.cache.bypassed").tag("reason", "redis-unavailable")
			.counters().stream().mapToDouble((counter) -> counter.count()).sum();
	}

	private double hits() {
		return this.meters.find("redis.patterns.response.cache.requests").tag("result", "hit")
			.counters().stream().mapToDouble((counter) -> counter.count()).sum();
	}

}
