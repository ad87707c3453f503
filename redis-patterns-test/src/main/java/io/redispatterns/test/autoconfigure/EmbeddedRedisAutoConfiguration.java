package io.redispatterns.test.autoconfigure;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.StandaloneRedis;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Starts a throw-away standalone {@code redis-server} for development when the application configures no
 * Redis connection, and hands it to Spring Boot's Redis auto-configuration as
 * {@link DataRedisConnectionDetails}.
 * <p>
 * Backs off when {@code redis-patterns.embedded.enabled=false}, when any of {@code spring.data.redis.url},
 * {@code .host}, {@code .port}, {@code .sentinel.nodes} or {@code .cluster.nodes} is set, or when a
 * {@code DataRedisConnectionDetails} bean exists (Testcontainers {@code @ServiceConnection},
 * {@code @WithRedis}). {@code REDIS_URL} is not consulted here. The server stops with the context, after
 * every bean that uses it (also on Ctrl-C or SIGTERM: see {@link EmbeddedRedis#startApplicationServer(int)}).
 */
@AutoConfiguration(before = DataRedisAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "redis-patterns.embedded.enabled", matchIfMissing = true)
@Conditional(OnNoRedisConnectionPropertiesCondition.class)
@ConditionalOnMissingBean(DataRedisConnectionDetails.class)
@EnableConfigurationProperties(EmbeddedRedisProperties.class)
public final class EmbeddedRedisAutoConfiguration {

	private static final Log logger = LogFactory.getLog(EmbeddedRedisAutoConfiguration.class);

	@Bean(destroyMethod = "close")
	StandaloneRedis embeddedRedisServer(EmbeddedRedisProperties properties) {
		StandaloneRedis redis = EmbeddedRedis.startApplicationServer(properties.getPort());
		logger.warn("Started a throw-away development redis-server on port " + redis.node().port()
				+ " because no Redis connection is configured. Its data is not persisted and is lost on shutdown. "
				+ "Configure spring.data.redis.* (url, host, sentinel.nodes or cluster.nodes) to use a real server, "
				+ "or set redis-patterns.embedded.enabled=false to turn this off.");
		return redis;
	}

	@Bean
	DataRedisConnectionDetails embeddedRedisConnectionDetails(StandaloneRedis embeddedRedisServer) {
		return embeddedRedisServer.connectionDetails();
	}

}
