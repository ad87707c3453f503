package io.redispatterns.sample;

import com.redis.testcontainers.RedisContainer;
import org.testcontainers.utility.DockerImageName;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/**
 * A Redis container exposed to Spring Boot through {@link ServiceConnection}.
 */
@TestConfiguration(proxyBeanMethods = false)
class RedisContainerConfiguration {

	@Bean
	@ServiceConnection
	RedisContainer redisContainer() {
		return new RedisContainer(DockerImageName.parse("redis:7.4-alpine"));
	}

}
