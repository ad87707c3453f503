package io.redispatterns.sample;

import io.redispatterns.test.EmbeddedRedisConfiguration;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sample at development time against a throw-away {@code redis-server}, Spring Boot's way:
 * {@code mvn -pl sample-app -am spring-boot:test-run}. {@link EmbeddedRedisConfiguration} exposes the
 * server as connection details, which win over any {@code spring.data.redis.*} of the application, and
 * stops it after the application has shut down. In an application of your own, {@code redis-patterns-test}
 * is a {@code test}-scoped dependency and this class lives in {@code src/test/java}.
 */
public class TestSampleApplication {

	public static void main(String[] args) {
		SpringApplication.from(SampleApplication::main).with(EmbeddedRedisConfiguration.class).run(args);
	}

}
