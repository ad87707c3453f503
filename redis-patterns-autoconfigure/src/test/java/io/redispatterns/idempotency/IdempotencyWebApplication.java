package io.redispatterns.idempotency;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.redispatterns.ratelimit.RateLimited;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small web application with {@code @Idempotent} handlers that count their calls. Spring
 * Security is on the test classpath (for the session tests) and is left out here; tests set the
 * principal themselves.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
class IdempotencyWebApplication {

	/** How often each handler ran, and a gate that holds the slow handler. */
	static class Calls {

		final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

		volatile CountDownLatch gate = new CountDownLatch(0);

		final CountDownLatch slowEntered = new CountDownLatch(1);

		final CountDownLatch slowerEntered = new CountDownLatch(1);

		int next(String handler) {
			return this.counts.computeIfAbsent(handler, (name) -> new AtomicInteger()).incrementAndGet();
		}

		int count(String handler) {
			AtomicInteger count = this.counts.get(handler);
			return (count != null) ? count.get() : 0;
		}

	}

	@Bean
	Calls calls() {
		return new Calls();
	}

	record NewOrder(String item, int quantity) {
	}

	record Order(int number, String item, int quantity) {
	}

	@RestController
	static class OrderController {

		private final Calls calls;

		OrderController(Calls calls) {
			this.calls = calls;
		}

		@Idempotent
		@PostMapping("/orders")
		ResponseEntity<Order> place(@RequestBody NewOrder order) {
			int number = this.calls.next("orders");
			return ResponseEntity.created(URI.create("/orders/" + number))
				.header("X-Not-Kept", "per-response")
				.body(new Order(number, order.item(), order.quantity()));
		}

		@Idempotent
		@PostMapping("/payments")
		Map<String, Integer> pay(@RequestBody NewOrder order) {
			return Map.of("payment", this.calls.next("payments"));
		}

		@Idempotent
		@PostMapping("/slow")
		Map<String, Integer> slow() throws InterruptedException {
			int number = this.calls.next("slow");
			this.calls.slowEntered.countDown();
			this.calls.gate.await(30, TimeUnit.SECONDS);
			return Map.of("slow", number);
		}

		@Idempotent
		@PostMapping("/slower")
		Map<String, Integer> slower() throws InterruptedException {
			int number = this.calls.next("slower");
			this.calls.slowerEntered.countDown();
			this.calls.gate.await(60, TimeUnit.SECONDS);
			return Map.of("slower", number);
		}

		@Idempotent
		@PostMapping("/flaky")
		ResponseEntity<Map<String, Integer>> flaky() {
			int number = this.calls.next("flaky");
			HttpStatus status = (number == 1) ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK;
			return ResponseEntity.status(status).body(Map.of("attempt", number));
		}

		@Idempotent
		@PostMapping("/throwing")
		Map<String, Integer> throwing() {
			int number = this.calls.next("throwing");
			if (number == 1) {
				throw new IllegalStateException("first attempt fails");
			}
			return Map.of("attempt", number);
		}

		@Idempotent
		@PostMapping("/missing/{id}")
		ResponseEntity<Map<String, Object>> missing(@PathVariable String id) {
			return ResponseEntity.status(HttpStatus.NOT_FOUND)
				.body(Map.of("error", "no such thing", "attempt", this.calls.next("missing")));
		}

		@Idempotent(missingKey = "reject", window = "${test.required-ttl:2h}")
		@PostMapping("/required")
		Map<String, Integer> required() {
			return Map.of("attempt", this.calls.next("required"));
		}

		@Idempotent(name = "big")
		@PostMapping("/big")
		String big() {
			this.calls.next("big");
			return "x".repeat(4096);
		}

		@Idempotent
		@RateLimited(limit = 1, window = "1h", name = "idempotent-limited")
		@PostMapping("/limited")
		Map<String, Integer> limited() {
			return Map.of("attempt", this.calls.next("limited"));
		}

		@Idempotent
		@PostMapping("/async")
		Callable<Map<String, Integer>> async() {
			return () -> Map.of("attempt", this.calls.next("async"));
		}

		@PostMapping("/flush")
		void flush(HttpServletResponse response) throws IOException {
			writeCommittedAfterFlush(response);
		}

		@Idempotent
		@PostMapping("/flush-idempotent")
		void flushIdempotent(HttpServletResponse response) throws IOException {
			writeCommittedAfterFlush(response);
		}

		private static void writeCommittedAfterFlush(HttpServletResponse response) throws IOException {
			response.setContentType("text/plain");
			response.getWriter().write("committed after flush: ");
			response.flushBuffer();
			response.getWriter().write(String.valueOf(response.isCommitted()));
		}

		@Idempotent
		@PostMapping("/form")
		Map<String, Object> form(@RequestParam String item) {
			return Map.of("item", item, "attempt", this.calls.next("form"));
		}

	}

}
