package io.redispatterns.writebehind;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.writebehind.autoconfigure.WriteBehindAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts application contexts with the write-behind auto-configuration against a real Redis deployment.
 */
final class WriteBehindContexts {

	private WriteBehindContexts() {
	}

	static ConfigurableApplicationContext start(RedisDeployment redis, Class<?> flushers, String... properties) {
		return start(redis.connectionDetails(), flushers, properties);
	}

	static ConfigurableApplicationContext start(DataRedisConnectionDetails redis, Class<?> flushers,
			String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.main.banner-mode=off", "redis-patterns.key-prefix=t",
				"redis-patterns.write-behind.retry-delay=100ms", "redis-patterns.write-behind.shutdown-timeout=5s"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(Base.class, flushers).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory()
				.registerSingleton("testRedisConnectionDetails", redis))
			.properties(all.toArray(String[]::new))
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			RedisPatternsAutoConfiguration.class, WriteBehindAutoConfiguration.class })
	static class Base {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
