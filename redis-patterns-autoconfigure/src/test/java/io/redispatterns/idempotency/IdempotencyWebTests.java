package io.redispatterns.idempotency;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.test.WithRedis;
import jakarta.servlet.ServletException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code @Idempotent} over MockMvc against a real Redis: replays with status, headers and body;
 * 422 for a reused key, 409 for a running duplicate (no wait configured here), 400 for a required
 * or unusable key; 5xx and exceptions not stored; 4xx stored; keys scoped per principal and per
 * handler; oversized bodies; the Redis key, metrics and the Actuator section.
 */
@WithRedis
@SpringBootTest(classes = IdempotencyWebApplication.class,
		properties = { "redis-patterns.key-prefix=idemweb", "redis-patterns.idempotency.in-progress-wait=0s",
				"redis-patterns.idempotency.max-body-size=1KB", "redis-patterns.idempotency.lease=1s",
				"management.endpoints.web.exposure.include=health,redispatterns" })
@AutoConfigureMockMvc
class IdempotencyWebTests {

	private static final String JSON_ORDER = "{\"item\":\"book\",\"quantity\":2}";

	@Autowired
	private MockMvc mvc;

	@Autowired
	private IdempotencyWebApplication.Calls calls;

	@Autowired
	private StringRedisTemplate redis;

	@Autowired
	private RedisKeys keys;

	@Autowired
	private MeterRegistry meterRegistry;

	private final String key = UUID.randomUUID().toString();

	private MockHttpServletRequestBuilder order(String key, String body) {
		return post("/orders").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).content(body);
	}

	@Test
	void retriedRequestGetsTheStoredResponseAndTheHandlerRunsOnce() throws Exception {
		int before = this.calls.count("orders");
		MvcResult first = this.mvc.perform(order(this.key, JSON_ORDER))
			.andExpect(status().isCreated())
			.andExpect(header().doesNotExist("Idempotent-Replayed"))
			.andReturn();
		String location = first.getResponse().getHeader("Location");
		String body = first.getResponse().getContentAsString();

		this.mvc.perform(order(this.key, JSON_ORDER))
			.andExpect(status().isCreated())
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(header().string("Location", location))
			.andExpect(header().doesNotExist("X-Not-Kept"))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(content().string(body));
		assertThat(this.calls.count("orders")).isEqualTo(before + 1);
	}

	@Test
	void quotedStructuredFieldKeyAndBareKeyAreTheSameKey() throws Exception {
		String body = this.mvc.perform(order("\"" + this.key + "\"", JSON_ORDER))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		this.mvc.perform(order(this.key, JSON_ORDER))
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(content().string(body));
	}

	@Test
	void requestsWithoutTheHeaderRunEveryTimeByDefault() throws Exception {
		int before = this.calls.count("orders");
		for (int i = 0; i < 2; i++) {
			this.mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(JSON_ORDER))
				.andExpect(status().isCreated());
		}
		assertThat(this.calls.count("orders")).isEqualTo(before + 2);
	}

	@Test
	void sameKeyWithADifferentBodyGets422Problem() throws Exception {
		this.mvc.perform(order(this.key, JSON_ORDER)).andExpect(status().isCreated());
		this.mvc.perform(order(this.key, "{\"item\":\"book\",\"quantity\":3}"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(422))
			.andExpect(jsonPath("$.type").value("https://redis-patterns.io/problems/idempotency-key-mismatch"));
	}

	@Test
	void keysAreScopedPerHandler() throws Exception {
		int before = this.calls.count("payments");
		this.mvc.perform(order(this.key, JSON_ORDER)).andExpect(status().isCreated());
		this.mvc.perform(post("/payments").header("Idempotency-Key", this.key)
			.contentType(MediaType.APPLICATION_JSON)
			.content(JSON_ORDER)).andExpect(status().isOk()).andExpect(header().doesNotExist("Idempotent-Replayed"));
		assertThat(this.calls.count("payments")).isEqualTo(before + 1);
	}

	@Test
	void keysAreScopedPerPrincipalSoUsersNeverSeeEachOthersResponses() throws Exception {
		int before = this.calls.count("orders");
		String alice = this.mvc.perform(order(this.key, JSON_ORDER).principal(user("alice")))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String bob = this.mvc.perform(order(this.key, JSON_ORDER).principal(user("bob")))
			.andExpect(status().isCreated())
			.andExpect(header().doesNotExist("Idempotent-Replayed"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(bob).isNotEqualTo(alice);
		this.mvc.perform(order(this.key, JSON_ORDER).principal(user("alice")))
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(content().string(alice));
		this.mvc.perform(order(this.key, JSON_ORDER))
			.andExpect(status().isCreated())
			.andExpect(header().doesNotExist("Idempotent-Replayed"));
		assertThat(this.calls.count("orders")).isEqualTo(before + 3);
	}

	@Test
	void duplicateWhileTheFirstRequestRunsGets409ProblemWithRetryAfter() throws Exception {
		this.calls.gate = new CountDownLatch(1);
		CompletableFuture<MvcResult> first = CompletableFuture.supplyAsync(() -> perform(post("/slow")
			.header("Idempotency-Key", this.key)));
		try {
			assertThat(this.calls.slowEntered.await(30, TimeUnit.SECONDS)).isTrue();
			this.mvc.perform(post("/slow").header("Idempotency-Key", this.key))
				.andExpect(status().isConflict())
				.andExpect(header().string("Retry-After", "1"))
				.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.type").value("https://redis-patterns.io/problems/idempotency-key-in-use"));
		}
		finally {
			this.calls.gate.countDown();
		}
		String body = first.get(30, TimeUnit.SECONDS).getResponse().getContentAsString();
		this.mvc.perform(post("/slow").header("Idempotency-Key", this.key))
			.andExpect(status().isOk())
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(content().string(body));
		assertThat(this.calls.count("slow")).isEqualTo(1);
	}

	@Test
	void handlerSlowerThanTheLeaseKeepsItsKeyBecauseTheMarkerIsRenewed() throws Exception {
		this.calls.gate = new CountDownLatch(1);
		CompletableFuture<MvcResult> first = CompletableFuture.supplyAsync(() -> perform(post("/slower")
			.header("Idempotency-Key", this.key)));
		try {
			assertThat(this.calls.slowerEntered.await(30, TimeUnit.SECONDS)).isTrue();
			// four renewals every third of the 1 s lease: the marker has outlived its first lease
			Awaitility.await("four renewals of the marker")
				.atMost(Duration.ofSeconds(30))
				.until(() -> renewals("OrderController.slower") >= 4);
			this.mvc.perform(post("/slower").header("Idempotency-Key", this.key)).andExpect(status().isConflict());
		}
		finally {
			this.calls.gate.countDown();
		}
		assertThat(first.get(30, TimeUnit.SECONDS).getResponse().getStatus()).isEqualTo(200);
		this.mvc.perform(post("/slower").header("Idempotency-Key", this.key))
			.andExpect(header().string("Idempotent-Replayed", "true"));
		assertThat(this.calls.count("slower")).isEqualTo(1);
	}

	private double renewals(String name) {
		return this.meterRegistry.find("redis.patterns.idempotency.lease.renewals")
			.tag("name", name)
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

	@Test
	void serverErrorIsNotStoredSoTheRetryRunsAgainAndItsSuccessIsStored() throws Exception {
		this.mvc.perform(post("/flaky").header("Idempotency-Key", this.key)).andExpect(status().isServiceUnavailable());
		this.mvc.perform(post("/flaky").header("Idempotency-Key", this.key))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.attempt").value(2));
		this.mvc.perform(post("/flaky").header("Idempotency-Key", this.key))
			.andExpect(status().isOk())
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(jsonPath("$.attempt").value(2));
	}

	@Test
	void exceptionReleasesTheKeySoTheRetryRunsAgain() throws Exception {
		assertThatExceptionOfType(ServletException.class)
			.isThrownBy(() -> this.mvc.perform(post("/throwing").header("Idempotency-Key", this.key)));
		this.mvc.perform(post("/throwing").header("Idempotency-Key", this.key))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.attempt").value(2));
	}

	@Test
	void clientErrorIsStoredAndReplayed() throws Exception {
		int before = this.calls.count("missing");
		this.mvc.perform(post("/missing/a").header("Idempotency-Key", this.key)).andExpect(status().isNotFound());
		this.mvc.perform(post("/missing/a").header("Idempotency-Key", this.key))
			.andExpect(status().isNotFound())
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(jsonPath("$.error").value("no such thing"));
		assertThat(this.calls.count("missing")).isEqualTo(before + 1);
	}

	@Test
	void requiredKeyMissingOrUnusableGets400Problem() throws Exception {
		this.mvc.perform(post("/required"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://redis-patterns.io/problems/idempotency-key-missing"));
		this.mvc.perform(post("/required").header("Idempotency-Key", "k".repeat(256)))
			.andExpect(status().isBadRequest());
		this.mvc.perform(post("/required").header("Idempotency-Key", "   ")).andExpect(status().isBadRequest());
		this.mvc.perform(post("/required").header("Idempotency-Key", this.key)).andExpect(status().isOk());
	}

	@Test
	void bodyLargerThanTheMaximumIsNotKeptYetTheHandlerDoesNotRunAgain() throws Exception {
		int before = this.calls.count("big");
		this.mvc.perform(post("/big").header("Idempotency-Key", this.key))
			.andExpect(status().isOk())
			.andExpect(content().string("x".repeat(4096)));
		MvcResult replay = this.mvc.perform(post("/big").header("Idempotency-Key", this.key))
			.andExpect(status().isOk())
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(header().string("Idempotent-Body-Omitted", "true"))
			.andReturn();
		assertThat(replay.getResponse().getContentAsByteArray()).isEmpty();
		assertThat(this.calls.count("big")).isEqualTo(before + 1);
	}

	@Test
	void onlyResponsesOfRequestsThatClaimedAKeyAreBuffered() throws Exception {
		this.mvc.perform(post("/flush").header("Idempotency-Key", this.key))
			.andExpect(content().string("committed after flush: true"));
		this.mvc.perform(post("/flush-idempotent").header("Idempotency-Key", this.key))
			.andExpect(content().string("committed after flush: false"));
		this.mvc.perform(post("/flush-idempotent").header("Idempotency-Key", this.key))
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(content().string("committed after flush: false"));
	}

	@Test
	void requestRefusedByARateLimitNeverClaimsAKey() throws Exception {
		this.mvc.perform(post("/limited").header("Idempotency-Key", this.key)).andExpect(status().isOk());
		String refusedKey = UUID.randomUUID().toString();
		this.mvc.perform(post("/limited").header("Idempotency-Key", refusedKey))
			.andExpect(status().isTooManyRequests());
		assertThat(this.redis.hasKey(this.keys.tagged("idem", "OrderController.limited", "anonymous/" + refusedKey)))
			.isFalse();
		assertThat(this.redis.hasKey(this.keys.tagged("idem", "OrderController.limited", "anonymous/" + this.key)))
			.isTrue();
	}

	private MockHttpServletRequestBuilder form(String body) {
		return post("/form").header("Idempotency-Key", this.key)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.content(body);
	}

	@Test
	void formPostsAreFingerprintedByTheirParameters() throws Exception {
		this.mvc.perform(form("item=pen"))
			.andExpect(status().isOk());
		this.mvc.perform(form("item=pen"))
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(jsonPath("$.item").value("pen"));
		this.mvc.perform(form("item=ink"))
			.andExpect(status().isUnprocessableContent());
	}

	@Test
	void responseIsStoredUnderThePrefixHashTaggedWithTheWindow() throws Exception {
		this.mvc.perform(order(this.key, JSON_ORDER)).andExpect(status().isCreated());
		String stored = this.keys.tagged("idem", "OrderController.place", "anonymous/" + this.key);
		assertThat(stored).isEqualTo("idemweb:idem:OrderController.place:{anonymous/" + this.key + "}");
		assertThat(this.redis.opsForHash().get(stored, "state")).isEqualTo("done");
		assertThat(this.redis.getExpire(stored, TimeUnit.MINUTES)).isBetween(23 * 60L, 24 * 60L);
		this.mvc.perform(post("/required").header("Idempotency-Key", this.key)).andExpect(status().isOk());
		String required = this.keys.tagged("idem", "OrderController.required", "anonymous/" + this.key);
		assertThat(this.redis.getExpire(required, TimeUnit.MINUTES)).as("ttl from the annotation's placeholder")
			.isBetween(119L, 120L);
	}

	@Test
	void outcomesAreCounted() throws Exception {
		double first = count("first");
		double replayed = count("replayed");
		double mismatch = count("mismatch");
		this.mvc.perform(order(this.key, JSON_ORDER));
		this.mvc.perform(order(this.key, JSON_ORDER));
		this.mvc.perform(order(this.key, "{}"));
		assertThat(count("first")).isEqualTo(first + 1);
		assertThat(count("replayed")).isEqualTo(replayed + 1);
		assertThat(count("mismatch")).isEqualTo(mismatch + 1);
	}

	@Test
	void endpointShowsTheConfigurationAndTheIdempotentHandlers() throws Exception {
		this.mvc.perform(get("/actuator/redispatterns"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.patterns.idempotency.headerName").value("Idempotency-Key"))
			.andExpect(jsonPath("$.patterns.idempotency.ttl").value("PT24H"))
			.andExpect(jsonPath("$.patterns.idempotency.failureMode").value("fail-closed"))
			.andExpect(jsonPath("$.patterns.idempotency.maxBodySize").value(1024))
			.andExpect(jsonPath("$.patterns.idempotency.handlers['OrderController.required']")
				.value("name=OrderController.required, ttl=PT2H, missingKey=reject"));
	}

	private double count(String outcome) {
		return this.meterRegistry.find("redis.patterns.idempotency.requests")
			.tag("name", "OrderController.place")
			.tag("outcome", outcome)
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

	private static TestingAuthenticationToken user(String name) {
		return new TestingAuthenticationToken(name, "secret");
	}

	private MvcResult perform(MockHttpServletRequestBuilder request) {
		try {
			return this.mvc.perform(request).andReturn();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
