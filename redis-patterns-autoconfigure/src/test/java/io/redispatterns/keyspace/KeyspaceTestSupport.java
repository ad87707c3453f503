package io.redispatterns.keyspace;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.keyspace.autoconfigure.KeyspaceAutoConfiguration;
import io.redispatterns.test.RedisDeployment;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Contexts with keyspace analysis, and a small keyspace to analyze.
 */
final class KeyspaceTestSupport {

	private KeyspaceTestSupport() {
	}

	static ApplicationContextRunner runner(RedisDeployment deployment, String libraryPrefix) {
		return new ApplicationContextRunner()
			.withBean(DataRedisConnectionDetails.class, deployment::connectionDetails)
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, KeyspaceAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.withPropertyValues("redis-patterns.key-prefix=" + libraryPrefix, "spring.data.redis.timeout=5s",
					"redis-patterns.keyspace.ttl-gauge.interval=1h");
	}

	/**
	 * Writes 30 application strings {@code <app>:user:<n>} (10 without TTL), 5 hashes
	 * {@code <app>:cart:<n>} with TTL (one with 2000 fields), and under the library prefix 3 sorted
	 * sets without TTL and 4 strings with TTL.
	 */
	static void populate(StringRedisTemplate redis, String app, String library) {
		for (int i = 0; i < 30; i++) {
			if (i < 10) {
				redis.opsForValue().set(app + ":user:" + i, "u" + i);
			}
			else {
				redis.opsForValue().set(app + ":user:" + i, "u" + i, Duration.ofMinutes(10));
			}
		}
		for (int i = 0; i < 5; i++) {
			Map<String, String> fields = new HashMap<>();
			for (int f = 0; f < ((i == 0) ? 2000 : 3); f++) {
				fields.put("item-" + f, "x".repeat(20));
			}
			redis.opsForHash().putAll(app + ":cart:" + i, fields);
			redis.expire(app + ":cart:" + i, Duration.ofMinutes(10));
		}
		for (int i = 0; i < 3; i++) {
			redis.opsForZSet().add(library + ":lb:{board" + i + "}:board" + i + ":all", "ann", 1);
		}
		for (int i = 0; i < 4; i++) {
			redis.opsForValue().set(library + ":rl:quotes:{10.0.0." + i + "}", "1", Duration.ofMinutes(10));
		}
	}

}
