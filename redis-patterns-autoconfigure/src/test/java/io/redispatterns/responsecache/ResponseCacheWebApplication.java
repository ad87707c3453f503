package io.redispatterns.responsecache;

import java.io.IOException;
import java.io.PrintWriter;
import java.security.Principal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.redispatterns.responsecache.autoconfigure.ResponseCacheProperties;
import jakarta.servlet.Filter;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small web application whose handlers count their calls, with {@code @CachedResponse} handlers
 * and one configured route ({@code /catalog/**}, set by each test's properties). Spring Security is
 * on the test classpath (for the session tests) and is left out here.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
public class ResponseCacheWebApplication {

	/** How often each handler ran, and a gate that holds the slow handler. */
	public static class Calls {

		final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

		volatile CountDownLatch gate = new CountDownLatch(0);

		volatile CountDownLatch slowEntered = new CountDownLatch(1);

		int next(String handler) {
			return this.counts.computeIfAbsent(handler, (name) -> new AtomicInteger()).incrementAndGet();
		}

		public int count(String handler) {
			AtomicInteger count = this.counts.get(handler);
			return (count != null) ? count.get() : 0;
		}

		public void hold() {
			this.gate = new CountDownLatch(1);
			this.slowEntered = new CountDownLatch(1);
		}

		public boolean awaitSlowEntered() throws InterruptedException {
			return this.slowEntered.await(30, TimeUnit.SECONDS);
		}

		public void release() {
			this.gate.countDown();
		}

	}

	@Bean
	Calls calls() {
		return new Calls();
	}

	/**
	 * Counts every request to {@code /items/*} as a page-view counter would: ordered just before
	 * the response cache, so it also sees the hits and 304s the cache answers.
	 */
	@Bean
	FilterRegistrationBean<Filter> itemViews(Calls calls) {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
			if (((HttpServletRequest) request).getRequestURI().startsWith("/items/")) {
				calls.next("views");
			}
			chain.doFilter(request, response);
		});
		registration.setOrder(ResponseCacheProperties.DEFAULT_FILTER_ORDER - 1);
		return registration;
	}

	record Item(long id, String name, int call) {
	}

	@RestController
	static class ItemController {

		private final Calls calls;

		ItemController(Calls calls) {
			this.calls = calls;
		}

		@CachedResponse(ttl = "60s", tags = { "items", "item:{id}" })
		@GetMapping("/items/{id}")
		Item item(@PathVariable long id, @RequestParam(defaultValue = "") String lang) {
			return new Item(id, "Item " + id + lang, this.calls.next("item"));
		}

		@GetMapping("/items/stats")
		Map<String, Integer> stats() {
			return Map.of("calls", this.calls.next("stats"));
		}

		@CachedResponse(vary = "X-Tenant")
		@GetMapping("/tenant")
		Map<String, Object> tenant() {
			return Map.of("call", this.calls.next("tenant"));
		}

		@CachedResponse(vary = CachedResponse.PRINCIPAL)
		@GetMapping("/me")
		Map<String, Object> me(Principal principal) {
			return Map.of("user", (principal != null) ? principal.getName() : "anonymous", "call",
					this.calls.next("me"));
		}

		@CachedResponse
		@GetMapping("/big")
		String big() {
			this.calls.next("big");
			return "x".repeat(4096);
		}

		@CachedResponse
		@GetMapping("/text")
		void text(@RequestParam int size, HttpServletResponse response) throws IOException {
			this.calls.next("text");
			response.setContentType("text/plain;charset=UTF-8");
			PrintWriter writer = response.getWriter();
			for (int i = 0; i < size; i++) {
				writer.write(i % 10 == 9 ? "é" : "a");
				if (i % 100 == 99) {
					response.flushBuffer();
				}
			}
		}

		@CachedResponse
		@GetMapping("/missing")
		ResponseEntity<Map<String, Integer>> missing() {
			return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("call", this.calls.next("missing")));
		}

		@CachedResponse
		@GetMapping("/cookie")
		Map<String, Integer> cookie(HttpServletResponse response) {
			response.addCookie(new Cookie("visited", "yes"));
			return Map.of("call", this.calls.next("cookie"));
		}

		@CachedResponse
		@GetMapping("/no-store")
		ResponseEntity<Map<String, Integer>> noStore() {
			return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(Map.of("call", this.calls.next("no-store")));
		}

		@CachedResponse
		@GetMapping("/throwing")
		Map<String, Integer> throwing() {
			this.calls.next("throwing");
			throw new IllegalStateException("handler failed");
		}

		@CachedResponse(tags = "slow")
		@GetMapping("/slow")
		Map<String, Integer> slow() throws InterruptedException {
			int call = this.calls.next("slow");
			this.calls.slowEntered.countDown();
			this.calls.gate.await(30, TimeUnit.SECONDS);
			return Map.of("call", call);
		}

		@GetMapping("/catalog/{section}")
		Map<String, Object> catalog(@PathVariable String section) {
			return Map.of("section", section, "call", this.calls.next("catalog"));
		}

	}

}
