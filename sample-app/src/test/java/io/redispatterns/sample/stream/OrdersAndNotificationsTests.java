package io.redispatterns.sample.stream;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The README's streams walkthrough, against the embedded Redis default.
 */
@SpringBootTest
@AutoConfigureMockMvc
class OrdersAndNotificationsTests {

	@Autowired
	private MockMvc mvc;

	@Test
	void ordersAreBilledNegativeOnesDeadLetteredAndReplayedAndNotificationsStreamed() throws Exception {
		MvcResult sse = this.mvc.perform(get("/api/notifications/stream").accept(MediaType.TEXT_EVENT_STREAM))
			.andExpect(request().asyncStarted())
			.andReturn();

		String good = placeOrder("{\"amount\": 25}");
		String bad = placeOrder("{\"amount\": -1}");

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> this.mvc.perform(get("/api/orders/stats"))
			.andExpect(jsonPath("$.processed").value(1))
			.andExpect(jsonPath("$.deadLettered").value(1))
			.andExpect(jsonPath("$.published").value(2)));
		this.mvc.perform(get("/api/orders/dead-letters"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[0].attempts").value(3))
			.andExpect(jsonPath("$[0].error").value(org.hamcrest.Matchers.containsString("negative amount")))
			.andExpect(jsonPath("$[0].payload").value(org.hamcrest.Matchers.containsString(bad)));

		// notifications published over pub/sub reach the SSE client (publish more until the subscription is up)
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
			if (sse.getResponse().getContentAsString().contains("notification")) {
				return true;
			}
			placeOrder("{\"amount\": 1}");
			return false;
		});
		assertThat(sse.getResponse().getContentAsString()).contains("event:notification").contains("billed");

		this.mvc.perform(post("/api/orders/dead-letters/replay"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.replayed").value(1));
		// the replayed order fails again (its amount is still negative) and is dead-lettered again
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> this.mvc.perform(get("/api/orders/dead-letters"))
			.andExpect(jsonPath("$.length()").value(1)));
		assertThat(good).isNotEqualTo(bad);
	}

	@Test
	void billingListenerShowsInHealthAndTheRedisPatternsEndpoint() throws Exception {
		this.mvc.perform(get("/actuator/redispatterns"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.patterns.streams.listeners[0].stream").value("orders"))
			.andExpect(jsonPath("$.patterns.streams.listeners[0].group").value("billing"))
			.andExpect(jsonPath("$.patterns.streams.listeners[0].state").value("RUNNING"))
			.andExpect(jsonPath("$.patterns.streams.listeners[0].pending").isNumber())
			.andExpect(jsonPath("$.patterns.streams.listeners[0].lag").isNumber());
		this.mvc.perform(get("/actuator/health"))
			.andExpect(jsonPath("$.components.redisPatterns.details.streams.status").value("UP"))
			.andExpect(jsonPath("$.components.redisPatterns.details.streams.listeners[0].deadLetters").isNumber());
	}

	private String placeOrder(String body) throws Exception {
		String response = this.mvc.perform(post("/api/orders").contentType(MediaType.APPLICATION_JSON).content(body))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.id").isString())
			.andReturn()
			.getResponse()
			.getContentAsString();
		return JsonPath.read(response, "$.id");
	}

}
