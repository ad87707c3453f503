package io.redispatterns.idempotency;

import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The meters of every {@code @Idempotent} handler exist at zero as soon as the application has started, with the
 * tags its requests use, so that a dashboard or alert works before the first request; the first request then
 * counts on the same meter instead of adding a second series. A context of its own (its key prefix), so that no
 * other test's requests are counted.
 */
@WithRedis
@SpringBootTest(classes = IdempotencyWebApplication.class, properties = "redis-patterns.key-prefix=idemmeters")
@AutoConfigureMockMvc
class IdempotencyMetersAtStartupTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MeterRegistry registry;

	@Test
	void handlerMetersExistAtZeroFromStartUpAndTheFirstRequestCountsOnThem() throws Exception {
		for (String name : new String[] { "big", "OrderController.pay" }) {
			for (IdempotencyMetrics.Outcome outcome : IdempotencyMetrics.Outcome.values()) {
				assertThat(requests(name, outcome.value())).as(name + " " + outcome).isZero();
			}
			assertThat(count("redis.patterns.idempotency.store.failures", name)).isZero();
			assertThat(count("redis.patterns.idempotency.lease.renewals", name)).isZero();
		}

		this.mvc
			.perform(post("/payments").header("Idempotency-Key", UUID.randomUUID().toString())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"item\":\"book\",\"quantity\":1}"))
			.andExpect(status().isOk());
		assertThat(requests("OrderController.pay", "first")).isEqualTo(1);
		assertThat(this.registry.find("redis.patterns.idempotency.requests")
			.tag("name", "OrderController.pay")
			.counters()).hasSize(IdempotencyMetrics.Outcome.values().length);
	}

	private double count(String meter, String name) {
		return this.registry.get(meter).tag("name", name).counter().count();
	}

	private double requests(String name, String outcome) {
		return this.registry.get("redis.patterns.idempotency.requests")
			.tags("name", name, "outcome", outcome)
			.counter()
			.count();
	}

}
