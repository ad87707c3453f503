package io.redispatterns.idempotency;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @Idempotent} through a real Tomcat and HTTP client: a retried order gets the first
 * response byte for byte; a duplicate sent while the first request runs waits for it (a wait is
 * configured here) and gets its response; an exception answered 500 by the server leaves the key
 * free for a retry.
 */
@WithRedis
@SpringBootTest(classes = IdempotencyWebApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "redis-patterns.key-prefix=idemhttp", "redis-patterns.idempotency.in-progress-wait=30s" })
class IdempotencyHttpServerTests {

	@LocalServerPort
	private int port;

	@Autowired
	private IdempotencyWebApplication.Calls calls;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final String key = UUID.randomUUID().toString();

	private HttpRequest post(String path, String body) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Idempotency-Key", this.key)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	@Test
	void retriedOrderGetsTheFirstResponse() throws Exception {
		String order = "{\"item\":\"lamp\",\"quantity\":1}";
		HttpResponse<String> first = this.client.send(post("/orders", order), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> retry = this.client.send(post("/orders", order), HttpResponse.BodyHandlers.ofString());
		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(retry.statusCode()).isEqualTo(201);
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(retry.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
		assertThat(retry.headers().firstValue("Content-Type")).isEqualTo(first.headers().firstValue("Content-Type"));
		assertThat(retry.body()).isEqualTo(first.body());
	}

	@Test
	void duplicateSentWhileTheFirstRunsWaitsAndGetsItsResponse() throws Exception {
		this.calls.gate = new CountDownLatch(1);
		CompletableFuture<HttpResponse<String>> first = this.client.sendAsync(post("/slow", ""),
				HttpResponse.BodyHandlers.ofString());
		CompletableFuture<HttpResponse<String>> duplicate;
		try {
			assertThat(this.calls.slowEntered.await(30, TimeUnit.SECONDS)).isTrue();
			duplicate = this.client.sendAsync(post("/slow", ""), HttpResponse.BodyHandlers.ofString());
		}
		finally {
			this.calls.gate.countDown();
		}
		HttpResponse<String> firstResponse = first.get(60, TimeUnit.SECONDS);
		HttpResponse<String> duplicateResponse = duplicate.get(60, TimeUnit.SECONDS);
		assertThat(firstResponse.statusCode()).isEqualTo(200);
		assertThat(duplicateResponse.statusCode()).isEqualTo(200);
		assertThat(duplicateResponse.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(duplicateResponse.body()).isEqualTo(firstResponse.body());
		assertThat(this.calls.count("slow")).isEqualTo(1);
	}

	@Test
	void asyncHandlerResponseIsStoredOnItsLastDispatchAndReplayed() throws Exception {
		HttpResponse<String> first = this.client.send(post("/async", ""), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> retry = this.client.send(post("/async", ""), HttpResponse.BodyHandlers.ofString());
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).isEqualTo("{\"attempt\":1}");
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(this.calls.count("async")).isEqualTo(1);
	}

	@Test
	void exceptionAnsweredAs500LeavesTheKeyFreeForARetry() throws Exception {
		HttpResponse<String> failed = this.client.send(post("/throwing", ""), HttpResponse.BodyHandlers.ofString());
		assertThat(failed.statusCode()).isEqualTo(500);
		HttpResponse<String> retry = this.client.send(post("/throwing", ""), HttpResponse.BodyHandlers.ofString());
		assertThat(retry.statusCode()).isEqualTo(200);
		assertThat(retry.body()).contains("\"attempt\":2");
	}

}
