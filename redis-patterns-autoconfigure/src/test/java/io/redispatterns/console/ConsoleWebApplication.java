package io.redispatterns.console;

import io.redispatterns.queue.RedisJobHandler;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A web application with a job handler that always fails (its jobs end in dead letters) and the
 * console on. Spring Security's auto-configuration is left out: the tests set the user themselves.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
class ConsoleWebApplication {

	@Bean
	FailingHandler failingHandler() {
		return new FailingHandler();
	}

	static class FailingHandler {

		@RedisJobHandler(queue = "reports", maxAttempts = 1)
		void run(String payload) {
			throw new IllegalStateException("Report failed: " + payload);
		}

	}

}
