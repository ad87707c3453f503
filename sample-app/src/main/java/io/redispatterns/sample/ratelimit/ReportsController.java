package io.redispatterns.sample.ratelimit;

import java.time.Instant;
import java.util.Map;

import io.redispatterns.ratelimit.RateLimited;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/reports}: limited per {@code X-Api-Key} by the {@code reports} policy (a token
 * bucket of 20 refilled at 5 per second). A request without the header is refused
 * ({@code missing-key: deny}).
 */
@RestController
class ReportsController {

	@RateLimited(policy = "reports")
	@GetMapping("/api/reports")
	Map<String, Object> report(@RequestHeader(name = "X-Api-Key", required = false) String apiKey) {
		return Map.of("apiKey", apiKey, "generatedAt", Instant.now().toString());
	}

}
