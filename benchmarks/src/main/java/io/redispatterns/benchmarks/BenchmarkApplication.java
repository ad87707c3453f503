package io.redispatterns.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

import io.redispatterns.test.StandaloneRedis;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The Spring context redis-patterns runs in: Boot's auto-configuration, no web server. */
@SpringBootConfiguration
@EnableAutoConfiguration
class BenchmarkApplication {

	static ConfigurableApplicationContext start(StandaloneRedis redis, Class<?>... extraSources) {
		Map<String, Object> properties = new LinkedHashMap<>(redis.springProperties());
		properties.put("redis-patterns.embedded.enabled", "false");
		// A decision waits for Redis as long as a noisy 2-core machine may need, so no decision is
		// counted as degraded (allowed without Redis) and the circuit breaker never skips Redis.
		properties.put("redis-patterns.rate-limit.timeout", "5s");
		properties.put("spring.data.redis.timeout", "10s");
		properties.put("logging.level.root", "WARN");
		properties.put("redis-patterns.leaderboard.boards.bench-periodic.periods", "all-time,daily,weekly,monthly");
		return new SpringApplicationBuilder(BenchmarkApplication.class).sources(extraSources)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(properties)
			.run();
	}

}
