package io.redispatterns.responsecache;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The response cache through a real Tomcat and {@code java.net.http}: a 304 with no body to a
 * revalidating client, a large body streamed through whole, concurrent clients served by one
 * handler run, and a second application instance on the same Redis that waits for the first
 * instance's handler instead of running its own.
 */
@WithRedis
@SpringBootTest(classes = ResponseCacheWebApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "redis-patterns.key-prefix=rchttp", "redis-patterns.response-cache.max-body-size=1KB" })
class ResponseCacheHttpServerTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ResponseCacheWebApplication.Calls calls;

	@Autowired
	private HttpResponseCache responses;

	private RedisDeployment redis;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@Test
	void aRevalidatingClientGets304WithTheEtagAndNoBody() throws Exception {
		HttpResponse<String> first = send(this.port, "/items/100", null);
		assertThat(first.statusCode()).isEqualTo(200);
		String etag = first.headers().firstValue("ETag").orElseThrow();
		int calls = this.calls.count("item");

		HttpResponse<String> revalidated = send(this.port, "/items/100", etag);
		assertThat(revalidated.statusCode()).isEqualTo(304);
		assertThat(revalidated.body()).isEmpty();
		assertThat(revalidated.headers().firstValue("ETag")).hasValue(etag);
		assertThat(revalidated.headers().firstValue("Cache-Control")).hasValue("no-cache");
		assertThat(revalidated.headers().firstValue("Age")).isPresent();

		HttpResponse<String> hit = send(this.port, "/items/100", null);
		assertThat(hit.statusCode()).isEqualTo(200);
		assertThat(hit.body()).isEqualTo(first.body());
		assertThat(hit.headers().firstValue("Content-Type")).hasValueSatisfying((type) -> assertThat(type)
			.startsWith("application/json"));
		assertThat(this.calls.count("item")).isEqualTo(calls);
	}

	@Test
	void aBodyOverTheLimitStreamsThroughWhole() throws Exception {
		HttpResponse<String> big = send(this.port, "/big", null);
		assertThat(big.statusCode()).isEqualTo(200);
		assertThat(big.body()).isEqualTo("x".repeat(4096));
		assertThat(big.headers().firstValue("ETag")).isEmpty();
	}

	@Test
	void concurrentClientsAndASecondInstanceShareOneHandlerRun() throws Exception {
		this.responses.evictTags("slow");
		ConfigurableApplicationContext other = startSecondInstance();
		try {
			ResponseCacheWebApplication.Calls otherCalls = other.getBean(ResponseCacheWebApplication.Calls.class);
			MeterRegistry otherMeters = other.getBean(MeterRegistry.class);
			int otherPort = ((WebServerApplicationContext) other).getWebServer().getPort();
			int calls = this.calls.count("slow");
			this.calls.hold();
			List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
			responses.add(sendAsync(this.port, "/slow"));
			assertThat(this.calls.awaitSlowEntered()).isTrue();
			for (int i = 0; i < 4; i++) {
				responses.add(sendAsync(this.port, "/slow"));
			}
			double otherMissesBefore = misses(otherMeters);
			responses.add(sendAsync(otherPort, "/slow"));
			// the other instance missed and now waits for this instance's loader lock
			awaitUntil(() -> misses(otherMeters) > otherMissesBefore);
			this.calls.release();
			for (CompletableFuture<HttpResponse<String>> response : responses) {
				HttpResponse<String> answered = response.get(30, TimeUnit.SECONDS);
				assertThat(answered.statusCode()).isEqualTo(200);
				assertThat(answered.body()).isEqualTo("{\"call\":" + (calls + 1) + "}");
			}
			assertThat(this.calls.count("slow")).isEqualTo(calls + 1);
			assertThat(otherCalls.count("slow")).isZero();
		}
		finally {
			this.calls.release();
			other.close();
		}
	}

	private ConfigurableApplicationContext startSecondInstance() {
		List<String> properties = new ArrayList<>();
		this.redis.springProperties().forEach((key, value) -> properties.add(key + "=" + value));
		properties.add("redis-patterns.key-prefix=rchttp");
		properties.add("server.port=0");
		return new SpringApplicationBuilder(ResponseCacheWebApplication.class).properties(properties.toArray(String[]::new))
			.run();
	}

	private static double misses(MeterRegistry meters) {
		return meters.find("cache.gets").tag("cache", "http-responses").tag("result", "miss").counters().stream()
			.mapToDouble((counter) -> counter.count()).sum();
	}

	private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition within 30s").isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	private HttpResponse<String> send(int port, String path, String ifNoneMatch) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(30));
		if (ifNoneMatch != null) {
			request.header("If-None-Match", ifNoneMatch);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private CompletableFuture<HttpResponse<String>> sendAsync(int port, String path) {
		return this.client.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
