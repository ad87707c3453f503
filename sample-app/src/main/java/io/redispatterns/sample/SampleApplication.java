package io.redispatterns.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small web application that shows every redis-patterns pattern. With no
 * {@code spring.data.redis.*} configured it starts a throw-away embedded redis-server.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
