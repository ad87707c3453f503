package io.redispatterns.sample.pageviews;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The README's write-behind walkthrough, against the embedded Redis default: every request for a product
 * is counted — also conditional ones — and a flush that "crashes" after committing to the database is
 * flushed again with the same batch id and skipped there, so every view is counted exactly once.
 */
@SpringBootTest
@AutoConfigureMockMvc
class PageViewsSampleTests {

	private static final long PRODUCT = 17;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private ProductViewsDatabase database;

	@Test
	void everyViewIsCountedExactlyOnceEvenWhenAFlushCrashesAfterCommitting() throws Exception {
		await().atMost(Duration.ofSeconds(30)).until(() -> backlog() == 0);
		long before = this.database.views(PRODUCT);
		int skippedBefore = this.database.redeliveriesSkipped();
		this.database.crashAfterCommit(1);
		for (int i = 0; i < 20; i++) {
			this.mvc.perform(get("/api/products/" + PRODUCT)).andExpect(status().isOk());
		}
		for (int i = 0; i < 5; i++) {
			// conditional requests count too (a response cache would answer them with 304)
			this.mvc.perform(get("/api/products/" + PRODUCT).header(HttpHeaders.IF_NONE_MATCH, "\"any\""));
		}
		// reading the totals is not a view
		this.mvc.perform(get("/api/products/" + PRODUCT + "/views")).andExpect(status().isOk());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.database.views(PRODUCT) == before + 25 && this.database.redeliveriesSkipped() > skippedBefore);
		// the crashed batch came back once, with its id, and was skipped
		assertThat(this.database.redeliveriesSkipped()).isEqualTo(skippedBefore + 1);
		await().atMost(Duration.ofSeconds(30)).until(() -> backlog() == 0);
		this.mvc.perform(get("/api/products/" + PRODUCT + "/views"))
			.andExpect(jsonPath("$.productId").value(PRODUCT))
			.andExpect(jsonPath("$.views").value(before + 25))
			.andExpect(jsonPath("$.backlog").value(0));
	}

	private long backlog() throws Exception {
		String body = this.mvc.perform(get("/api/products/" + PRODUCT + "/views"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		return Long.parseLong(body.replaceAll(".*\"backlog\":(\\d+).*", "$1"));
	}

}
