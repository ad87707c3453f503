package io.redispatterns.stream;

import java.util.ArrayList;
import java.util.List;

import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.stream.autoconfigure.StreamAutoConfiguration;
import io.redispatterns.test.RedisDeployment;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Starts application contexts with the streams auto-configuration against a real Redis deployment.
 */
final class StreamContexts {

	private StreamContexts() {
	}

	static ConfigurableApplicationContext start(RedisDeployment redis, Class<?> listeners, String... properties) {
		return start(redis.connectionDetails(), listeners, properties);
	}

	/** Starts a context against any connection details, such as a {@code RedisProxy}'s. */
	static ConfigurableApplicationContext start(DataRedisConnectionDetails connection, Class<?> listeners,
			String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.main.banner-mode=off", "redis-patterns.key-prefix=t",
				"redis-patterns.stream.block=200ms", "redis-patterns.stream.claim-interval=200ms",
				"redis-patterns.stream.retry.initial=50ms", "redis-patterns.stream.retry.max=200ms",
				"redis-patterns.stream.start-from=earliest", "redis-patterns.stream.shutdown-timeout=10s"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(Base.class, listeners).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory()
				.registerSingleton("testRedisConnectionDetails", connection))
			.properties(all.toArray(String[]::new))
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			RedisPatternsAutoConfiguration.class, StreamAutoConfiguration.class })
	static class Base {

	}


}
