package io.redispatterns.sample.session;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code POST /login} is throttled per user name and client address by the {@code login} policy
 * (sliding window, 10 attempts per 5 minutes).
 */
@SpringBootTest
@AutoConfigureMockMvc
class LoginThrottleTests {

	private static final int LIMIT = 10;

	@Autowired
	private MockMvc mvc;

	@Test
	void repeatedWrongPasswordsAreRefusedWith429AndRetryAfter() throws Exception {
		for (int i = 0; i < LIMIT; i++) {
			attempt("bob", "guess-" + i, "203.0.113.9").andExpect(redirectedUrl("/login?error"));
		}
		attempt("bob", "guess-x", "203.0.113.9").andExpect(status().isTooManyRequests())
			.andExpect(header().exists("Retry-After"))
			.andExpect(header().string("Content-Type", startsWith("application/problem+json")))
			.andExpect(jsonPath("$.policy").value("login"));
		// a different spelling of the name shares the quota; so does the right password, now
		attempt("BOB", "guess-y", "203.0.113.9").andExpect(status().isTooManyRequests());
		attempt("bob", "bob-password", "203.0.113.9").andExpect(status().isTooManyRequests());
		// the user is not locked out from elsewhere, and other users from this address are not affected
		attempt("bob", "bob-password", "198.51.100.4").andExpect(redirectedUrl("/api/me/sessions"));
		attempt("alice", "wrong", "203.0.113.9").andExpect(redirectedUrl("/login?error"));
	}

	private org.springframework.test.web.servlet.ResultActions attempt(String user, String password, String address)
			throws Exception {
		return this.mvc.perform(post("/login").param("username", user)
			.param("password", password)
			.with(csrf())
			.with(remoteAddress(address)));
	}

	private static RequestPostProcessor remoteAddress(String address) {
		return (request) -> {
			request.setRemoteAddr(address);
			return request;
		};
	}

}
