package io.redispatterns.responsecache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code @CachedResponse} and a configured route through MockMvc on a real Redis: hits skip the
 * handler, {@code If-None-Match} gets a 304 without it, keys cover query and vary headers,
 * credentials bypass the cache unless the key covers them, only storable responses are stored, tags
 * shared with the cache pattern evict responses, and concurrent misses run the handler once.
 */
@WithRedis
@SpringBootTest(classes = ResponseCacheWebApplication.class,
		properties = { "redis-patterns.key-prefix=rcweb", "redis-patterns.response-cache.max-body-size=1KB",
				"redis-patterns.response-cache.routes[0].pattern=/catalog/{section}",
				"redis-patterns.response-cache.routes[0].ttl=30s",
				"redis-patterns.response-cache.routes[0].tags=catalog:{section}" })
@AutoConfigureMockMvc
class ResponseCacheWebTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private ResponseCacheWebApplication.Calls calls;

	@Autowired
	private CacheTemplate cacheTemplate;

	@Autowired
	private HttpResponseCache responses;

	@Autowired
	private StringRedisTemplate redis;

	@Autowired
	private MeterRegistry meters;

	private StandaloneRedis redisServer;

	@Test
	void aHitIsOneGetAndARevalidationToo() throws Exception {
		CommandCalls beforeMiss = CommandCalls.of(this.redisServer.node());
		String etag = this.mvc.perform(get("/items/8")).andReturn().getResponse().getHeader("ETag");
		Map<String, Long> miss = CommandCalls.of(this.redisServer.node()).since(beforeMiss).asMap();
		CommandCalls before = CommandCalls.of(this.redisServer.node());
		for (int i = 0; i < 10; i++) {
			this.mvc.perform(get("/items/8")).andExpect(status().isOk());
			this.mvc.perform(get("/items/8").header("If-None-Match", etag)).andExpect(status().isNotModified());
		}
		Map<String, Long> hits = CommandCalls.of(this.redisServer.node()).since(before).asMap();
		System.out.println("[measure] response cache miss (2 tags): " + miss + "; 10 hits + 10 revalidations: " + hits);
		assertThat(hits.get("get")).isEqualTo(20);
		assertThat(hits).containsOnlyKeys("get");
	}

	@Test
	void hitIsServedFromTheCacheWithEtagAgeAndCacheControlWithoutRunningTheHandler() throws Exception {
		MvcResult first = this.mvc.perform(get("/items/1"))
			.andExpect(status().isOk())
			.andExpect(header().exists("ETag"))
			.andExpect(header().string("Cache-Control", "no-cache"))
			.andExpect(header().string("Vary", "Accept"))
			.andExpect(header().doesNotExist("Age"))
			.andReturn();
		int calls = this.calls.count("item");
		String etag = first.getResponse().getHeader("ETag");
		assertThat(etag).matches("\"[0-9a-f]{32}\"");
		this.mvc.perform(get("/items/1"))
			.andExpect(status().isOk())
			.andExpect(header().string("ETag", etag))
			.andExpect(header().exists("Age"))
			.andExpect(header().string("Cache-Control", "no-cache"))
			.andExpect(content().contentTypeCompatibleWith("application/json"))
			.andExpect(content().string(first.getResponse().getContentAsString()));
		assertThat(this.calls.count("item")).isEqualTo(calls);
		assertThat(requests("/items/{id}", "hit")).isPositive();
	}

	@Test
	void ifNoneMatchIsAnsweredWith304WithoutRunningTheHandler() throws Exception {
		String etag = this.mvc.perform(get("/items/2")).andReturn().getResponse().getHeader("ETag");
		int calls = this.calls.count("item");
		this.mvc.perform(get("/items/2").header("If-None-Match", "\"other\", " + etag))
			.andExpect(status().isNotModified())
			.andExpect(header().string("ETag", etag))
			.andExpect(content().string(""));
		this.mvc.perform(get("/items/2").header("If-None-Match", "W/" + etag)).andExpect(status().isNotModified());
		this.mvc.perform(get("/items/2").header("If-None-Match", "\"stale\"")).andExpect(status().isOk());
		assertThat(this.calls.count("item")).isEqualTo(calls);
		assertThat(requests("/items/{id}", "not-modified")).isGreaterThanOrEqualTo(2);
	}

	@Test
	void queryAndVaryHeadersSelectDifferentEntries() throws Exception {
		this.mvc.perform(get("/items/3")).andExpect(jsonPath("$.name").value("Item 3"));
		this.mvc.perform(get("/items/3").queryParam("lang", "de")).andExpect(jsonPath("$.name").value("Item 3de"));
		this.mvc.perform(get("/items/3").queryParam("lang", "de")).andExpect(jsonPath("$.name").value("Item 3de"));
		int tenantCalls = this.calls.count("tenant");
		this.mvc.perform(get("/tenant").header("X-Tenant", "a")).andExpect(header().string("Vary", "Accept, X-Tenant"));
		this.mvc.perform(get("/tenant").header("X-Tenant", "b"));
		this.mvc.perform(get("/tenant").header("X-Tenant", "a"));
		assertThat(this.calls.count("tenant")).isEqualTo(tenantCalls + 2);
	}

	@Test
	void requestsWithCredentialsBypassTheCacheUnlessTheKeyCoversThem() throws Exception {
		this.mvc.perform(get("/items/4"));
		int calls = this.calls.count("item");
		this.mvc.perform(get("/items/4").header("Authorization", "Bearer token")).andExpect(status().isOk());
		this.mvc.perform(get("/items/4").header("Cookie", "SESSION=abc")).andExpect(status().isOk());
		this.mvc.perform(get("/items/4").principal(() -> "alice")).andExpect(status().isOk());
		assertThat(this.calls.count("item")).isEqualTo(calls + 3);
		assertThat(bypassed("/items/{id}", "credentials")).isGreaterThanOrEqualTo(3);

		int meCalls = this.calls.count("me");
		this.mvc.perform(get("/me").principal(() -> "alice")).andExpect(jsonPath("$.user").value("alice"))
			.andExpect(header().string("Cache-Control", "private, no-cache"));
		this.mvc.perform(get("/me").principal(() -> "bob")).andExpect(jsonPath("$.user").value("bob"));
		this.mvc.perform(get("/me").principal(() -> "alice")).andExpect(jsonPath("$.user").value("alice"));
		this.mvc.perform(get("/me").principal(() -> "bob")).andExpect(jsonPath("$.user").value("bob"));
		assertThat(this.calls.count("me")).isEqualTo(meCalls + 2);
	}

	@Test
	void onlySuccessfulResponsesWithoutCookiesOrNoStoreAreStored() throws Exception {
		for (String handler : List.of("missing", "cookie", "no-store")) {
			int calls = this.calls.count(handler);
			this.mvc.perform(get("/" + handler));
			this.mvc.perform(get("/" + handler));
			assertThat(this.calls.count(handler)).as(handler).isEqualTo(calls + 2);
		}
		this.mvc.perform(get("/missing")).andExpect(status().isNotFound()).andExpect(jsonPath("$.call").isNumber());
		this.mvc.perform(get("/cookie")).andExpect(header().exists("Set-Cookie"));
		assertThat(stores("/missing", "status")).isGreaterThanOrEqualTo(2);
		assertThat(stores("/cookie", "set-cookie")).isGreaterThanOrEqualTo(2);
		assertThat(stores("/no-store", "no-store")).isGreaterThanOrEqualTo(2);
	}

	@Test
	void responseOverTheSizeLimitIsSentWholeButNotStored() throws Exception {
		int calls = this.calls.count("big");
		this.mvc.perform(get("/big")).andExpect(status().isOk()).andExpect(content().string("x".repeat(4096)));
		this.mvc.perform(get("/big")).andExpect(status().isOk()).andExpect(content().string("x".repeat(4096)));
		assertThat(this.calls.count("big")).isEqualTo(calls + 2);
		assertThat(stores("/big", "too-large")).isGreaterThanOrEqualTo(2);
	}

	@Test
	void aWriterBodyIsStoredUnderTheLimitAndStreamedWholeOverIt() throws Exception {
		int calls = this.calls.count("text");
		String small = this.mvc.perform(get("/text").queryParam("size", "300")).andExpect(status().isOk())
			.andExpect(header().exists("ETag")).andReturn().getResponse().getContentAsString();
		assertThat(small).hasSize(300).contains("\u00e9");
		this.mvc.perform(get("/text").queryParam("size", "300"))
			.andExpect(content().contentTypeCompatibleWith("text/plain"))
			.andExpect(content().bytes(small.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		assertThat(this.calls.count("text")).isEqualTo(calls + 1);
		String big = this.mvc.perform(get("/text").queryParam("size", "3000")).andExpect(status().isOk())
			.andReturn().getResponse().getContentAsString();
		assertThat(big).hasSize(3000).startsWith(small);
		assertThat(stores("/text", "too-large")).isPositive();
	}

	@Test
	void aFilterOrderedBeforeTheCacheSeesHitsAnd304s() throws Exception {
		String etag = this.mvc.perform(get("/items/9")).andReturn().getResponse().getHeader("ETag");
		int views = this.calls.count("views");
		int calls = this.calls.count("item");
		this.mvc.perform(get("/items/9")).andExpect(status().isOk());
		this.mvc.perform(get("/items/9").header("If-None-Match", etag)).andExpect(status().isNotModified());
		assertThat(this.calls.count("views")).isEqualTo(views + 2);
		assertThat(this.calls.count("item")).isEqualTo(calls);
	}

	@Test
	void aHandlerExceptionReachesTheCallerAndNothingIsStored() throws Exception {
		int calls = this.calls.count("throwing");
		for (int i = 0; i < 2; i++) {
			try {
				this.mvc.perform(get("/throwing"));
			}
			catch (Exception ex) {
				assertThat(ex).rootCause().hasMessage("handler failed");
			}
		}
		assertThat(this.calls.count("throwing")).isEqualTo(calls + 2);
	}

	@Test
	void tagsSharedWithTheCachePatternEvictResponses() throws Exception {
		this.mvc.perform(get("/items/5"));
		this.mvc.perform(get("/items/6"));
		int calls = this.calls.count("item");
		this.mvc.perform(get("/items/5"));
		this.mvc.perform(get("/items/6"));
		assertThat(this.calls.count("item")).isEqualTo(calls);

		assertThat(this.cacheTemplate.evictTags(this.responses.cacheName(), List.of("item:5"))).isPositive();
		this.mvc.perform(get("/items/5"));
		this.mvc.perform(get("/items/6"));
		assertThat(this.calls.count("item")).isEqualTo(calls + 1);

		assertThat(this.responses.evictTags("items")).isPositive();
		this.mvc.perform(get("/items/5"));
		this.mvc.perform(get("/items/6"));
		assertThat(this.calls.count("item")).isEqualTo(calls + 3);
	}

	@Test
	void aSiblingPathWithoutTheAnnotationIsNeverCached() throws Exception {
		int calls = this.calls.count("stats");
		this.mvc.perform(get("/items/stats")).andExpect(status().isOk()).andExpect(header().doesNotExist("ETag"));
		this.mvc.perform(get("/items/stats")).andExpect(status().isOk());
		assertThat(this.calls.count("stats")).isEqualTo(calls + 2);
	}

	@Test
	void aConfiguredRouteIsCachedAndTaggedWithItsVariables() throws Exception {
		int calls = this.calls.count("catalog");
		this.mvc.perform(get("/catalog/shoes")).andExpect(status().isOk()).andExpect(header().exists("ETag"));
		this.mvc.perform(get("/catalog/shoes")).andExpect(jsonPath("$.section").value("shoes"));
		assertThat(this.calls.count("catalog")).isEqualTo(calls + 1);
		assertThat(requests("/catalog/{section}", "hit")).isPositive();
		this.responses.evictTags("catalog:shoes");
		this.mvc.perform(get("/catalog/shoes"));
		assertThat(this.calls.count("catalog")).isEqualTo(calls + 2);
	}

	@Test
	void concurrentMissesRunTheHandlerOnceAndAllGetItsResponse() throws Exception {
		int calls = this.calls.count("slow");
		this.calls.hold();
		ExecutorService clients = Executors.newFixedThreadPool(8);
		try {
			List<Future<String>> bodies = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				bodies.add(clients.submit(() -> this.mvc.perform(get("/slow")).andReturn().getResponse().getContentAsString()));
			}
			assertThat(this.calls.awaitSlowEntered()).isTrue();
			this.calls.release();
			for (Future<String> body : bodies) {
				assertThat(body.get(30, TimeUnit.SECONDS)).isEqualTo("{\"call\":" + (calls + 1) + "}");
			}
		}
		finally {
			this.calls.release();
			clients.shutdownNow();
		}
		assertThat(this.calls.count("slow")).isEqualTo(calls + 1);
	}

	@Test
	void responsesAreEntriesOfTheResponseCacheUnderThePrefix() throws Exception {
		this.mvc.perform(get("/items/7").queryParam("q", "a:b*{c}"));
		List<String> keys = new ArrayList<>();
		try (Cursor<String> cursor = this.redis.scan(ScanOptions.scanOptions().match("rcweb:*").count(500).build())) {
			cursor.forEachRemaining(keys::add);
		}
		assertThat(keys).isNotEmpty().allMatch((key) -> key.startsWith("rcweb:cache:http-responses:"));
		// user-supplied parts are escaped (no ':', '*' or braces of their own), the vary headers hashed
		assertThat(keys).anyMatch((key) -> key.startsWith("rcweb:cache:http-responses:{http-responses%3AGET%20/items/7%3Fq=a%3Ab%2A")
				&& key.matches(".*%20%23[0-9a-f]{32}}") && !key.contains("*"));
	}

	private double requests(String route, String result) {
		return this.meters.find("redis.patterns.response.cache.requests").tag("route", route).tag("result", result)
			.counters().stream().mapToDouble((counter) -> counter.count()).sum();
	}

	private double bypassed(String route, String reason) {
		return this.meters.find("redis.patterns.response.cache.bypassed").tag("route", route).tag("reason", reason)
			.counters().stream().mapToDouble((counter) -> counter.count()).sum();
	}

	private double stores(String route, String outcome) {
		return this.meters.find("redis.patterns.response.cache.stores").tag("route", route).tag("outcome", outcome)
			.counters().stream().mapToDouble((counter) -> counter.count()).sum();
	}

}
