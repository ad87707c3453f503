package io.redispatterns.sample;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.redispatterns.lock.LockOptions;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.test.RedisNode;
import jakarta.servlet.http.Cookie;

import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Runs every pattern of the sample once, the way its README walks through them, and checks each
 * one really used Redis (a pattern that fails open would otherwise pass unnoticed): used by the
 * tests that run the sample under a restricted connection (ACL user, TLS).
 */
final class AllPatternsWalkthrough {

	private final MockMvc mvc;

	private final ApplicationContext context;

	private final java.util.function.Function<String, RedisNode> admin;

	/**
	 * @param admin the server (outside the application's restrictions) that serves a key or
	 * sharded channel, to watch subscriptions
	 */
	AllPatternsWalkthrough(MockMvc mvc, ApplicationContext context, java.util.function.Function<String, RedisNode> admin) {
		this.mvc = mvc;
		this.context = context;
		this.admin = admin;
	}

	void healthAndEndpoint() throws Exception {
		this.mvc.perform(get("/actuator/health"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.status").value("UP"))
			.andExpect(jsonPath("$.components.redis.status").value("UP"))
			.andExpect(jsonPath("$.components.redisPatterns.status").value("UP"))
			.andExpect(jsonPath("$.components.redisPatterns.details.keyPrefix").value("sample"));
		this.mvc.perform(get("/actuator/redispatterns"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.keyPrefix").value("sample"))
			.andExpect(jsonPath("$.patterns.streams.listeners[0].state").value("RUNNING"));
	}

	/**
	 * Scores on the arcade's four period boards (one script), a player's ranks (scripts reading
	 * ZREVRANK), and a bounded keyspace analysis (SCAN, TYPE, PTTL, MEMORY USAGE) that finds them.
	 */
	void leaderboardAndKeyspace() throws Exception {
		String player = "walker-" + System.nanoTime();
		this.mvc.perform(post("/api/scores").contentType(MediaType.APPLICATION_JSON)
			.content("{\"player\":\"" + player + "\",\"points\":7,\"eventId\":\"" + player + "\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.points.daily").value(7));
		this.mvc.perform(get("/api/leaderboard").param("period", "weekly").param("top", "10"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.entries").isNotEmpty());
		this.mvc.perform(get("/api/leaderboard/players/" + player))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.ranks.monthly.points").value(7));
		this.mvc.perform(get("/actuator/redispatterns/keyspace"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.notPermitted").value(0))
			.andExpect(jsonPath("$.groups[?(@.prefix == 'sample:lb:{arcade}')].sampled").isNotEmpty());
	}

	/** Load, hit (no second load), invalidation by key and tag, reload: exactly two loads. */
	void cache() throws Exception {
		long loadsBefore = productLoads();
		this.mvc.perform(get("/api/products/1")).andExpect(status().isOk());
		this.mvc.perform(get("/api/products/1")).andExpect(status().isOk());
		assertThat(productLoads() - loadsBefore).as("the second read was a cache hit").isEqualTo(1);
		this.mvc.perform(put("/api/products/1").contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"Kettle\",\"price\":19.99}")).andExpect(status().isOk());
		this.mvc.perform(get("/api/products/1")).andExpect(status().isOk()).andExpect(jsonPath("$.name").value("Kettle"));
		assertThat(productLoads() - loadsBefore).as("the update evicted the entry").isEqualTo(2);
	}

	/**
	 * The product reads of {@link #cache()} were counted in the page-view write-behind buffer and flushed
	 * to the "database": at least those three views are there and the buffer is empty.
	 */
	void pageViews() throws Exception {
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> this.mvc.perform(get("/api/products/1/views"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.views").value(org.hamcrest.Matchers.greaterThanOrEqualTo(3)))
			.andExpect(jsonPath("$.backlog").value(0)));
	}

	/**
	 * A decision taken by Redis (a degraded, fail-open decision carries no quota headers). The first
	 * decisions may time out (the limiter waits 200 ms) while a cold connection is being set up on a
	 * loaded machine, so it asks again until one is decided by Redis.
	 */
	void rateLimit() throws Exception {
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			MvcResult result = this.mvc.perform(get("/api/quotes")).andExpect(status().isOk()).andReturn();
			return "20".equals(result.getResponse().getHeader("X-RateLimit-Limit"))
					&& result.getResponse().getHeader("X-RateLimit-Remaining") != null;
		});
	}

	/**
	 * A fenced reservation, then a waiter woken by the holder's release (the release publishes on
	 * the lock's sharded wake-up channel).
	 */
	void locks() throws Exception {
		// with an Idempotency-Key, a retry gets the stored first response instead of a second reservation
		String first = this.mvc.perform(post("/api/inventory/sku-acl/reserve").header("Idempotency-Key", "walkthrough-1"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.fencingToken").isNumber())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String retried = this.mvc.perform(post("/api/inventory/sku-acl/reserve").header("Idempotency-Key", "walkthrough-1"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(retried).isEqualTo(first);
		LockTemplate locks = this.context.getBean(LockTemplate.class);
		LockOptions wait = LockOptions.defaults().withWait(Duration.ofSeconds(30)).withLease(Duration.ofSeconds(30));
		CountDownLatch held = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Long> holder = CompletableFuture.supplyAsync(() -> locks.executeWithLock("walkthrough", wait,
				(lease) -> {
					held.countDown();
					awaitQuietly(release);
					return lease.fencingToken();
				}));
		assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Long> waiter = CompletableFuture
			.supplyAsync(() -> locks.executeWithLock("walkthrough", wait, (lease) -> lease.fencingToken()));
		// the waiter listens on the lock's sharded wake-up channel before the holder lets go
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.admin.apply("sample:lock:wake:{walkthrough}")
				.execute((commands) -> commands.pubsubShardNumsub("sample:lock:wake:{walkthrough}")
					.get("sample:lock:wake:{walkthrough}")) > 0);
		release.countDown();
		assertThat(waiter.get(30, TimeUnit.SECONDS)).isGreaterThan(holder.get(30, TimeUnit.SECONDS));
	}

	/** An order billed by the stream listener, whose notification arrives over pub/sub (SSE). */
	void streamsAndPubSub() throws Exception {
		MvcResult sse = this.mvc.perform(get("/api/notifications/stream").accept(MediaType.TEXT_EVENT_STREAM))
			.andExpect(request().asyncStarted())
			.andReturn();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> {
			if (sse.getResponse().getContentAsString().contains("billed")) {
				return true;
			}
			this.mvc.perform(post("/api/orders").contentType(MediaType.APPLICATION_JSON).content("{\"amount\": 25}"))
				.andExpect(status().is2xxSuccessful());
			return false;
		});
		this.mvc.perform(get("/api/orders/stats")).andExpect(jsonPath("$.deadLettered").value(0));
	}

	/** An e-mail job that fails once, is retried by the queue's worker and completes. */
	void jobQueue() throws Exception {
		String body = this.mvc
			.perform(post("/api/emails").contentType(MediaType.APPLICATION_JSON)
				.content("{\"to\": \"a@example.com\", \"subject\": \"walkthrough\", \"failTimes\": 1}"))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		String id = body.replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> this.mvc
			.perform(get("/api/emails/" + id))
			.andReturn()
			.getResponse()
			.getContentAsString()
			.contains("\"completed\""));
	}

	/** Login (id change), listing, log out everywhere. */
	void sessions() throws Exception {
		Cookie session = this.mvc
			.perform(post("/login").param("username", "alice").param("password", "alice-password").with(csrf()))
			.andExpect(redirectedUrl("/api/me/sessions"))
			.andReturn()
			.getResponse()
			.getCookie("SESSION");
		assertThat(session).isNotNull();
		this.mvc.perform(get("/api/me/sessions").cookie(session))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.length()").value(1));
		this.mvc.perform(delete("/api/me/sessions").cookie(session).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.revoked").value(1));
		this.mvc.perform(get("/api/me/sessions").cookie(session)).andExpect(status().isUnauthorized());
	}

	private long productLoads() throws Exception {
		String body = this.mvc.perform(get("/api/products/stats")).andReturn().getResponse().getContentAsString();
		return Long.parseLong(body.replaceAll("[^0-9]", ""));
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
