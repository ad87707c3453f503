package io.redispatterns.ratelimit.web;

import java.util.Map;

import io.redispatterns.ratelimit.RateLimitExceededException;
import io.redispatterns.ratelimit.RateLimitKeyResolver;
import io.redispatterns.ratelimit.RateLimited;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small web application exercising {@code @RateLimited} the way users write it. The nested
 * components are registered as member classes of this configuration. Spring Security is on the
 * test classpath (for the session tests) and is left out here so requests stay anonymous.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
class RateLimitWebApplication {

	@RestController
	static class QuoteController {

		@RateLimited(policy = "quotes")
		@GetMapping("/api/quotes")
		Map<String, String> quotes() {
			return Map.of("quote", "Premature optimization is the root of all evil.");
		}

		@RateLimited(policy = "reports")
		@GetMapping("/api/reports")
		Map<String, String> reports() {
			return Map.of("report", "ok");
		}

		@RateLimited(limit = 2, window = "1m", name = "inline-minute")
		@RateLimited(limit = 3, window = "1h", name = "inline-hour", algorithm = "fixed-window")
		@GetMapping("/api/inline")
		String inline() {
			return "ok";
		}

		@GetMapping("/open/{item}")
		String open(@PathVariable String item) {
			return item;
		}

		@RateLimited(limit = 1, window = "1m", key = "#pathVariables['tenant']", name = "per-tenant")
		@GetMapping("/tenants/{tenant}")
		String tenant(@PathVariable String tenant) {
			return tenant;
		}

	}

	@RestController
	@RateLimited(limit = 2, window = "1m")
	static class ClassLimitedController {

		@GetMapping("/class/a")
		String a() {
			return "a";
		}

	}

	@RestController
	static class CustomHandlerController {

		@RateLimited(limit = 1, window = "1m", name = "custom")
		@GetMapping("/custom")
		String custom() {
			return "ok";
		}

		@ExceptionHandler(RateLimitExceededException.class)
		ResponseEntity<String> slowDown(RateLimitExceededException ex) {
			return ResponseEntity.status(HttpStatus.I_AM_A_TEAPOT)
				.body("slow down: " + ex.getDecision().violatedPolicies());
		}

	}

	@Bean
	RateLimitKeyResolver tenantKeys() {
		return (context) -> (context.request() != null) ? context.request().getHeader("X-Tenant") : null;
	}

	@RestController
	static class KeyedController {

		@RateLimited(limit = 1, window = "1m", key = "bean:tenantKeys", name = "bean-key")
		@GetMapping("/bean-key")
		String beanKey() {
			return "ok";
		}

		@RateLimited(limit = 1, window = "1m", key = "principal", name = "per-user")
		@GetMapping("/me")
		String me() {
			return "ok";
		}

	}

	record User(String id) {
	}

	@Service
	static class ReportService {

		@RateLimited(limit = 2, window = "1m", key = "#user.id", name = "report-build")
		public String build(User user) {
			return "report for " + user.id();
		}

	}

	@RestController
	static class ServiceController {

		private final ReportService reportService;

		ServiceController(ReportService reportService) {
			this.reportService = reportService;
		}

		@GetMapping("/service/{id}")
		String build(@PathVariable String id) {
			return this.reportService.build(new User(id));
		}

	}

}
