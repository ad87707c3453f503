package io.redispatterns.console;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.redispatterns.queue.JobId;
import io.redispatterns.queue.JobOptions;
import io.redispatterns.queue.JobQueues;
import io.redispatterns.queue.JobState;
import io.redispatterns.queue.JobStatus;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The console's pages against a real Redis, read-only ({@code actions-enabled} left false): every
 * page renders without an action form and actions are refused; a queue of thousands of jobs is
 * shown a bounded page at a time; a job's payload is shown escaped; configured queues are listed
 * besides the handlers' queues, unknown ones are not found.
 */
@WithRedis
@SpringBootTest(classes = ConsoleWebApplication.class,
		properties = { "redis-patterns.key-prefix=console", "redis-patterns.console.enabled=true",
				"redis-patterns.console.required-authority=ROLE_OPS",
				"redis-patterns.console.queues=outbox", "redis-patterns.queue.backoff.initial=10ms" })
@AutoConfigureMockMvc
@WithMockUser(roles = "OPS")
class ConsolePagesTests {

	private static final Pattern ROW_LINK = Pattern.compile("<tr><td><a href=\"/redis-patterns/queues/reports/jobs/");

	@Autowired
	private MockMvc mvc;

	@Autowired
	private JobQueues queues;

	private String page(String path) throws Exception {
		MockHttpServletResponse response = this.mvc.perform(get(path)).andReturn().getResponse();
		assertThat(response.getStatus()).as(path).isEqualTo(200);
		return response.getContentAsString();
	}

	private JobId deadJob(String payload) {
		JobId id = this.queues.enqueue("reports", payload);
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			JobStatus status = this.queues.status("reports", id);
			return status != null && status.state() == JobState.DEAD;
		});
		return id;
	}

	@Test
	void everyPageRendersWithoutActionForms() throws Exception {
		JobId dead = deadJob("<img src=x onerror=alert(1)>");
		String overview = page("/redis-patterns");
		assertThat(overview).contains("Read-only: actions are disabled.");
		for (String section : List.of("queues", "locks", "rate-limits", "caches", "keyspace")) {
			assertThat(overview).contains("href=\"/redis-patterns/" + section + "\"");
			assertThat(page("/redis-patterns/" + section)).doesNotContain("method=\"post\"");
		}
		assertThat(page("/redis-patterns/keyspace")).contains("Keyspace analysis is not available");
		// the handlers' queue and a queue the application only enqueues to (redis-patterns.console.queues)
		assertThat(page("/redis-patterns/queues")).contains("href=\"/redis-patterns/queues/reports\"")
			.contains("href=\"/redis-patterns/queues/outbox\"");
		assertThat(this.mvc.perform(get("/redis-patterns/queues/unknown")).andReturn().getResponse().getStatus())
			.isEqualTo(404);
		String queue = page("/redis-patterns/queues/reports");
		assertThat(queue).contains(dead.value()).doesNotContain("method=\"post\"").doesNotContain("Retry");
		String job = page("/redis-patterns/queues/reports/jobs/" + dead.value());
		assertThat(job).contains("&lt;img src=x onerror=alert(1)&gt;")
			.doesNotContain("<img")
			.contains("Report failed")
			.doesNotContain("method=\"post\"");
	}

	@Test
	void actionsAreRefusedWhenDisabled() throws Exception {
		JobId dead = deadJob("refused");
		MockHttpServletResponse page = this.mvc.perform(get("/redis-patterns/queues/reports")).andReturn().getResponse();
		String token = page.getCookie(ConsoleTokens.COOKIE).getValue();
		MockHttpServletResponse refused = this.mvc
			.perform(post("/redis-patterns/queues/actions/retry").cookie(page.getCookie(ConsoleTokens.COOKIE))
				.param(ConsoleTokens.FIELD, token)
				.param("queue", "reports")
				.param("id", dead.value()))
			.andReturn()
			.getResponse();
		assertThat(refused.getStatus()).isEqualTo(403);
		assertThat(this.queues.status("reports", dead).state()).isEqualTo(JobState.DEAD);
		assertThat(this.mvc.perform(post("/redis-patterns/queues/actions/pause").cookie(page.getCookie(ConsoleTokens.COOKIE))
			.param(ConsoleTokens.FIELD, token)
			.param("queue", "reports")).andReturn().getResponse().getStatus()).isEqualTo(403);
		assertThat(this.queues.depths("reports").paused()).isFalse();
	}

	@Test
	void aLongQueueIsShownAPageAtATime() throws Exception {
		// delayed jobs stay where they are: a bounded page of 5,000 of them
		for (int batch = 0; batch < 5; batch++) {
			this.queues.enqueueAll("reports", JobQueues.DEFAULT_NAME, Collections.nCopies(1000, "later"),
					JobOptions.delay(Duration.ofHours(1)));
		}
		String first = page("/redis-patterns/queues/reports?state=delayed");
		assertThat(rows(first)).isEqualTo(50);
		assertThat(first).contains("Delayed jobs 1–50 of").contains(">Next page</a>").doesNotContain("Previous page");
		String third = page("/redis-patterns/queues/reports?state=delayed&page=2");
		assertThat(rows(third)).isEqualTo(50);
		assertThat(third).contains("Delayed jobs 101–150 of").contains(">Previous page</a>");
	}

	@Test
	void aPausedQueueShowsItsWaitingJobsWithoutThePauseMarker() throws Exception {
		// outbox has no handler here: its jobs stay waiting
		List<JobId> ids = this.queues.enqueueAll("outbox", JobQueues.DEFAULT_NAME, Collections.nCopies(60, "mail"),
				JobOptions.defaults());
		this.queues.pause("outbox");
		try {
			String first = page("/redis-patterns/queues/outbox?state=waiting");
			String second = page("/redis-patterns/queues/outbox?state=waiting&page=1");
			assertThat(first).contains("Waiting jobs 1–50 of 60").doesNotContain("paused</a>");
			assertThat(second).contains("Waiting jobs 51–60 of 60");
			for (JobId id : ids) {
				assertThat(first + second).contains("/redis-patterns/queues/outbox/jobs/" + id.value() + "\"");
			}
		}
		finally {
			this.queues.resume("outbox");
		}
	}

	@Test
	void waitingJobsAreListedInTheOrderTheyAreTaken() throws Exception {
		// outbox has no handler here: its jobs stay waiting (another test's jobs may wait there too, before these).
		// Priority 0 waits in a list, higher priorities in a sorted set that is taken first.
		JobId low1 = this.queues.enqueue("outbox", "first low");
		JobId high = this.queues.enqueue("outbox", (Object) "high", JobOptions.defaults().priority(5));
		JobId low2 = this.queues.enqueue("outbox", "second low");
		try {
			String html = page("/redis-patterns/queues/outbox?state=waiting")
					+ page("/redis-patterns/queues/outbox?state=waiting&page=1");
			int highAt = html.indexOf("/jobs/" + high.value() + "\"");
			int low1At = html.indexOf("/jobs/" + low1.value() + "\"");
			int low2At = html.indexOf("/jobs/" + low2.value() + "\"");
			assertThat(highAt).isPositive().isLessThan(low1At);
			assertThat(low1At).isLessThan(low2At);
		}
		finally {
			for (JobId id : List.of(low1, high, low2)) {
				this.queues.cancel("outbox", id);
			}
		}
	}

	private static int rows(String html) {
		Matcher matcher = ROW_LINK.matcher(html);
		int rows = 0;
		while (matcher.find()) {
			rows++;
		}
		return rows;
	}

}
