package io.redispatterns.test;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runs an application against a throw-away {@code redis-server} at development time, the way Spring
 * Boot runs one against a container with {@code @ServiceConnection}: from {@code src/test/java},
 * <pre class="code">
 * public class TestMyApplication {
 *     public static void main(String[] args) {
 *         SpringApplication.from(MyApplication::main).with(EmbeddedRedisConfiguration.class).run(args);
 *     }
 * }
 * </pre>
 * then {@code mvn spring-boot:test-run}. The server is exposed as {@link DataRedisConnectionDetails},
 * which take precedence over {@code spring.data.redis.*}, so the production configuration can stay in
 * {@code application.yml} and production code never carries the embedded server ({@code redis-patterns-test}
 * stays a {@code test}-scoped dependency). The server stops with the context, after everything that uses it.
 */
@Configuration(proxyBeanMethods = false)
public class EmbeddedRedisConfiguration {

	private static final Log logger = LogFactory.getLog(EmbeddedRedisConfiguration.class);

	@Bean(destroyMethod = "close")
	StandaloneRedis embeddedRedisServer() {
		StandaloneRedis redis = EmbeddedRedis.startApplicationServer(0);
		logger.info("Started a throw-away development redis-server on port " + redis.node().port()
				+ "; its data is lost on shutdown.");
		return redis;
	}

	@Bean
	DataRedisConnectionDetails embeddedRedisConnectionDetails(StandaloneRedis embeddedRedisServer) {
		return embeddedRedisServer.connectionDetails();
	}

}
