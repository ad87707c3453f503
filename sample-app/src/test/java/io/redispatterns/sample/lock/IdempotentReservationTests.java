package io.redispatterns.sample.lock;

import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The README's idempotent-requests recipe: a client retries a reservation or an order with the
 * same {@code Idempotency-Key} (as after a lost response) and the work is applied once.
 */
@SpringBootTest(properties = "sample.inventory.audit-interval=1h")
@AutoConfigureMockMvc
class IdempotentReservationTests {

	@Autowired
	private MockMvc mvc;

	private final String sku = "sku-" + UUID.randomUUID().toString().substring(0, 8);

	@Test
	void retriedReservationWithTheSameKeyIsAppliedOnceAndReturnsTheSameBody() throws Exception {
		String key = UUID.randomUUID().toString();
		MvcResult first = this.mvc.perform(post("/api/inventory/{sku}/reserve", this.sku).header("Idempotency-Key", key))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.stock").value(99))
			.andReturn();
		this.mvc.perform(post("/api/inventory/{sku}/reserve", this.sku).header("Idempotency-Key", key))
			.andExpect(status().isOk())
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(content().string(first.getResponse().getContentAsString()));
		this.mvc.perform(get("/api/inventory/{sku}", this.sku))
			.andExpect(jsonPath("$.stock").value(99))
			.andExpect(jsonPath("$.reserved").value(1));

		this.mvc.perform(post("/api/inventory/{sku}/reserve", this.sku).header("Idempotency-Key", "another-" + key))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.stock").value(98));
	}

	@Test
	void retriedOrderWithTheSameKeyIsPublishedOnce() throws Exception {
		long published = published();
		String key = UUID.randomUUID().toString();
		String first = this.mvc
			.perform(post("/api/orders").header("Idempotency-Key", key)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"amount\": 12}"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		this.mvc
			.perform(post("/api/orders").header("Idempotency-Key", key)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"amount\": 12}"))
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(content().string(first));
		this.mvc
			.perform(post("/api/orders").header("Idempotency-Key", key)
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"amount\": 13}"))
			.andExpect(status().isUnprocessableContent());
		assertThat(published()).isEqualTo(published + 1);
	}

	private long published() throws Exception {
		String stats = this.mvc.perform(get("/api/orders/stats")).andReturn().getResponse().getContentAsString();
		return ((Number) JsonPath.read(stats, "$.published")).longValue();
	}

}
