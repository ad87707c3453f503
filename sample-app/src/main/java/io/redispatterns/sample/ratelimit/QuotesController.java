package io.redispatterns.sample.ratelimit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.redispatterns.ratelimit.RateLimited;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/quotes}: limited per client IP by the {@code quotes} policy (a sliding window
 * of 20 requests per minute in {@code application.yml}).
 */
@RestController
class QuotesController {

	private static final List<String> QUOTES = List.of("Simplicity is prerequisite for reliability.",
			"Premature optimization is the root of all evil.", "Make it work, make it right, make it fast.");

	@RateLimited(policy = "quotes")
	@GetMapping("/api/quotes")
	Map<String, String> quote() {
		return Map.of("quote", QUOTES.get(ThreadLocalRandom.current().nextInt(QUOTES.size())));
	}

}
