package io.redispatterns.sample.queue;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The README's job-queue walkthrough, against the embedded Redis default.
 */
@SpringBootTest
@AutoConfigureMockMvc
class EmailJobsTests {

	@Autowired
	private MockMvc mvc;

	private String enqueue(String body, String query) throws Exception {
		String json = this.mvc.perform(post("/api/emails" + query).contentType(MediaType.APPLICATION_JSON).content(body))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		return JsonPath.read(json, "$.id");
	}

	@Test
	void emailsAreRetriedDeadLetteredAndRetriedFromDeadLetters() throws Exception {
		String flaky = enqueue("{\"to\": \"a@example.com\", \"subject\": \"Hi\", \"failTimes\": 1}", "");
		String hopeless = enqueue("{\"to\": \"b@example.com\", \"subject\": \"Hi\", \"failTimes\": 5}", "");
		String later = enqueue("{\"to\": \"c@example.com\", \"subject\": \"Later\"}", "?delay=1h");

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> this.mvc.perform(get("/api/emails/" + flaky))
			.andExpect(jsonPath("$.state").value("completed"))
			.andExpect(jsonPath("$.attempts").value(2)));
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> this.mvc.perform(get("/api/emails/" + hopeless))
			.andExpect(jsonPath("$.state").value("dead"))
			.andExpect(jsonPath("$.attempts").value(3)));
		this.mvc.perform(get("/api/emails/" + later)).andExpect(jsonPath("$.state").value("delayed"));
		this.mvc.perform(get("/api/emails/stats"))
			.andExpect(jsonPath("$.enqueued").value(3))
			.andExpect(jsonPath("$.completed").value(1))
			.andExpect(jsonPath("$.dead").value(1))
			.andExpect(jsonPath("$.retried").value(2));
		this.mvc.perform(get("/api/emails/dead"))
			.andExpect(jsonPath("$[0].id.value").value(hopeless))
			.andExpect(jsonPath("$[0].error").value(org.hamcrest.Matchers.containsString("Mail server unavailable")));
		this.mvc.perform(post("/api/emails/dead/retry")).andExpect(jsonPath("$.retried").value(1));
		// it fails its three attempts again and is back in dead letters
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> this.mvc.perform(get("/api/emails/" + hopeless))
			.andExpect(jsonPath("$.state").value("dead"))
			.andExpect(jsonPath("$.attempts").value(3))
			.andExpect(jsonPath("$.history.length()").value(6)));
		this.mvc.perform(get("/api/emails/no-such-id")).andExpect(status().isNotFound());
	}

}
