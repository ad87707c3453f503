package io.redispatterns.sample;

import com.redis.testcontainers.RedisContainer;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The Spring Boot idiom for users with Docker: a Redis container through {@code @ServiceConnection}
 * and nothing else configured. Skipped only when no Docker environment is found.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest
@AutoConfigureMockMvc
@Import(RedisContainerConfiguration.class)
class TestcontainersRedisTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private RedisContainer redis;

	@Test
	void redisPatternsUsesTheServiceConnection() throws Exception {
		assertThat(this.redis.isRunning()).isTrue();
		this.mvc.perform(get("/actuator/health"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.components.redisPatterns.status").value("UP"))
			.andExpect(jsonPath("$.components.redisPatterns.details.version").value(org.hamcrest.Matchers.startsWith("7.4")));
	}

}
