package io.redispatterns.sample.faults;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample on a real server with Redis going away behind a proxy: a login and a reservation
 * answer {@code 503} with an RFC 9457 problem body and {@code Retry-After} (never Tomcat's HTML
 * error page or a 500), health reports {@code DOWN} without class names, and both work again once
 * Redis is back. The client rejects commands while disconnected
 * ({@code redis-patterns.client.reject-while-disconnected=true}), so "Redis is down" is known at
 * once; with Lettuce's default the same requests answer {@code 504} (outcome unknown) after the
 * command timeout. Times are printed, not asserted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "redis-patterns.client.reject-while-disconnected=true", "sample.inventory.audit-interval=1h" })
@DirtiesContext
class RedisDownSampleTests {

	private static final StandaloneRedis redis = EmbeddedRedis.startStandaloneServer(0);

	private static final RedisProxy proxy = RedisProxy.start(redis.node());

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	@LocalServerPort
	private int port;

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(new CookieManager())
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	@DynamicPropertySource
	static void redisBehindTheProxy(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", proxy::host);
		registry.add("spring.data.redis.port", proxy::port);
	}

	@AfterAll
	static void stopRedis() {
		proxy.close();
		redis.close();
	}

	@Test
	void loginAndReservationAnswer503ProblemsWhileRedisIsDownAndWorkOnceItIsBack() throws Exception {
		String csrf = csrfToken(send(get("/login")));

		proxy.refuse(true);
		HttpResponse<String> login = timed("login", () -> send(loginRequest(csrf)));
		assertRedisUnavailableProblem(login);

		HttpResponse<String> reservation = timed("reservation",
				() -> send(post("/api/inventory/sku-down/reserve", "")));
		assertRedisUnavailableProblem(reservation);

		// a monitor sends no session cookie (a request with one needs its session, hence Redis, and gets the 503 problem)
		HttpResponse<String> health = timed("health",
				() -> HttpClient.newHttpClient().send(get("/actuator/health"), HttpResponse.BodyHandlers.ofString()));
		assertThat(health.statusCode()).isEqualTo(503);
		assertThat(health.body()).contains("\"status\":\"DOWN\"").doesNotContain("Exception");
		assertThat(health.body()).doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Za-z.]+Exception");

		proxy.refuse(false);
		long start = System.nanoTime();
		awaitStatus(200, () -> send(get("/login")));
		awaitStatus(200, () -> send(post("/api/inventory/sku-down/reserve", "")));
		System.out.printf("[sample redis-down] login page and reservation work %.0f ms after Redis is back%n",
				(System.nanoTime() - start) / 1e6);
		HttpResponse<String> loggedIn = send(loginRequest(csrfToken(send(get("/login")))));
		assertThat(loggedIn.statusCode()).isEqualTo(302);
	}

	private static void assertRedisUnavailableProblem(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.headers().firstValue("Retry-After")).isPresent();
		assertThat(response.body()).contains("\"type\":\"https://redis-patterns.io/problems/redis-unavailable\"")
			.contains("\"status\":503")
			.doesNotContain("<html")
			.doesNotContain("Exception");
	}

	private HttpRequest loginRequest(String csrf) {
		return post("/login", "username=alice&password=alice-password&_csrf="
				+ URLEncoder.encode(csrf, StandardCharsets.UTF_8));
	}

	private static String csrfToken(HttpResponse<String> loginPage) {
		assertThat(loginPage.statusCode()).isEqualTo(200);
		Matcher matcher = CSRF.matcher(loginPage.body());
		assertThat(matcher.find()).as("CSRF token on the login page").isTrue();
		return matcher.group(1);
	}

	private HttpRequest get(String path) {
		return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build();
	}

	private HttpRequest post(String path, String form) {
		return HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build();
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> timed(String what, Call call) throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = call.send();
		System.out.printf("[sample redis-down] %s answered %d in %.0f ms: %s%n", what, response.statusCode(),
				(System.nanoTime() - start) / 1e6, response.body());
		return response;
	}

	private static void awaitStatus(int status, Call call) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (call.send().statusCode() != status) {
			assertThat(System.nanoTime()).as("waiting for status " + status).isLessThan(deadline);
			Thread.sleep(20);
		}
	}

	@FunctionalInterface
	interface Call {

		HttpResponse<String> send() throws Exception;

	}

}
