package io.redispatterns.web;

import java.io.IOException;
import java.net.SocketTimeoutException;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.redispatterns.lock.LockUnavailableException;
import io.redispatterns.test.WithRedis;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Redis faults thrown by handlers and by a servlet filter become RFC 9457 problems (503 with
 * Retry-After, or 504 for an unknown outcome); other failures and the application's own exception
 * handlers are left alone.
 */
@WithRedis
@SpringBootTest(properties = { "redis-patterns.key-prefix=webfaults", "redis-patterns.web.retry-after=2s" })
@AutoConfigureMockMvc
class RedisFailureWebTests {

	@Autowired
	private MockMvc mvc;

	@Test
	void connectionFailureAnswers503WithRetryAfterAndAProblemBody() throws Exception {
		this.mvc.perform(get("/connect-failure"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().string("Retry-After", "2"))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(RedisFailureProblems.UNAVAILABLE_TYPE))
			.andExpect(jsonPath("$.status").value(503))
			.andExpect(jsonPath("$.outcome").value("not-applied"))
			.andExpect(jsonPath("$.retry-after").value(2))
			.andExpect(jsonPath("$.trace").doesNotExist())
			.andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Exception"))));
	}

	@Test
	void commandTimeoutAnswers504OutcomeUnknownWithoutRetryAfter() throws Exception {
		this.mvc.perform(get("/timeout"))
			.andExpect(status().isGatewayTimeout())
			.andExpect(header().doesNotExist("Retry-After"))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value(RedisFailureProblems.OUTCOME_UNKNOWN_TYPE))
			.andExpect(jsonPath("$.outcome").value("unknown"))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("Idempotency-Key")));
	}

	@Test
	void connectionResetUnderACommandAnswers504() throws Exception {
		this.mvc.perform(get("/reset"))
			.andExpect(status().isGatewayTimeout())
			.andExpect(jsonPath("$.type").value(RedisFailureProblems.OUTCOME_UNKNOWN_TYPE));
	}

	@Test
	void aPatternExceptionCausedByARedisFaultIsMappedByItsCause() throws Exception {
		this.mvc.perform(get("/lock-unavailable"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.type").value(RedisFailureProblems.UNAVAILABLE_TYPE));
	}

	@Test
	void timeoutsThatDoNotComeFromRedisAreLeftAlone() {
		assertThatThrownBy(() -> this.mvc.perform(get("/other-timeout"))).isInstanceOf(SocketTimeoutException.class);
	}

	@Test
	void theApplicationsOwnExceptionHandlerWins() throws Exception {
		this.mvc.perform(get("/handled")).andExpect(status().isIAmATeapot());
	}

	@Test
	void aRedisFaultRaisedByAFilterAfterTheHandlerIsMappedToo() throws Exception {
		this.mvc.perform(get("/ok").param("fail-after", "true"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(jsonPath("$.type").value(RedisFailureProblems.UNAVAILABLE_TYPE));
		this.mvc.perform(get("/ok")).andExpect(status().isOk());
	}

	@Test
	void problemJsonEscapesText() {
		assertThat(RedisFailureProblems.json(org.springframework.http.ProblemDetail
			.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "quote \" backslash \\ newline \n")))
			.contains("\"detail\":\"quote \\\" backslash \\\\ newline \\n\"");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class FaultyApplication {

		@Bean
		SecurityFilterChain permitAll(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

		@Bean
		FaultyController faultyController() {
			return new FaultyController();
		}

		/** Saves "the session" after the handler ran, as Spring Session's filter does, and fails. */
		@Bean
		FilterRegistrationBean<Filter> failingAfterHandlerFilter() {
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
				chain.doFilter(request, response);
				if (request.getParameter("fail-after") != null) {
					throw new ServletException(new RedisConnectionFailureException("Unable to connect to Redis"));
				}
			});
			registration.setOrder(0);
			return registration;
		}

	}

	@RestController
	static class FaultyController {

		@GetMapping("/connect-failure")
		String connectFailure() {
			throw new RedisConnectionFailureException("Unable to connect to Redis");
		}

		@GetMapping("/timeout")
		String timeout() {
			throw new QueryTimeoutException("Redis command timed out",
					new RedisCommandTimeoutException("Command timed out after 2 second(s)"));
		}

		@GetMapping("/reset")
		String reset() {
			throw new RedisSystemException("Redis exception",
					new RedisException(new IOException("Connection reset")));
		}

		@GetMapping("/lock-unavailable")
		String lockUnavailable() {
			throw new LockUnavailableException("orders", "Redis is unavailable",
					new RedisConnectionFailureException("Unable to connect to Redis"));
		}

		@GetMapping("/other-timeout")
		String otherTimeout() throws IOException {
			throw new SocketTimeoutException("Read timed out (a database, not Redis)");
		}

		@GetMapping("/handled")
		String handled() {
			throw new RedisConnectionFailureException("Unable to connect to Redis");
		}

		@GetMapping("/ok")
		String ok() {
			return "ok";
		}

		@ExceptionHandler(RedisConnectionFailureException.class)
		ResponseEntity<String> ownHandler(RedisConnectionFailureException ex, jakarta.servlet.http.HttpServletRequest request) {
			if (request.getRequestURI().equals("/handled")) {
				return ResponseEntity.status(HttpStatus.I_AM_A_TEAPOT).body("handled by the application");
			}
			throw ex;
		}

	}

}
