package io.redispatterns.sample;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sample against a Redis container (needs Docker): {@code mvn -pl sample-app spring-boot:test-run}.
 * Boot's {@code @ServiceConnection} supplies the connection; redis-patterns picks it up with nothing
 * else configured, and the embedded default backs off.
 */
public class TestSampleApplication {

	public static void main(String[] args) {
		SpringApplication.from(SampleApplication::main).with(RedisContainerConfiguration.class).run(args);
	}

}
