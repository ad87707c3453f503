package io.redispatterns.queue;

import java.util.ArrayList;
import java.util.List;

import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.queue.autoconfigure.JobQueueAutoConfiguration;
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
 * Starts application contexts with the job-queue auto-configuration against a real Redis deployment.
 */
final class QueueContexts {

	private QueueContexts() {
	}

	static ConfigurableApplicationContext start(RedisDeployment redis, Class<?> handlers, String... properties) {
		return start(redis.connectionDetails(), handlers, properties);
	}

	static ConfigurableApplicationContext start(DataRedisConnectionDetails redis, Class<?> handlers,
			String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.main.banner-mode=off", "redis-patterns.key-prefix=t",
				"redis-patterns.queue.block=500ms", "redis-patterns.queue.lease=5s",
				"redis-patterns.queue.stalled-check-interval=300ms", "redis-patterns.queue.backoff.initial=50ms",
				"redis-patterns.queue.backoff.max=200ms", "redis-patterns.queue.backoff.jitter=0",
				"redis-patterns.queue.shutdown-timeout=10s", "redis-patterns.queue.reconnect.max=500ms"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(Base.class, handlers).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("testRedisConnectionDetails", redis))
			.properties(all.toArray(String[]::new))
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			RedisPatternsAutoConfiguration.class, JobQueueAutoConfiguration.class })
	static class Base {

	}

}
