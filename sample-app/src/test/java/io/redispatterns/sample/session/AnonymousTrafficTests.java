package io.redispatterns.sample.session;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Requests without a cookie cannot grow Redis: public pages store nothing, so no session is
 * written; a session appears only when a user logs in.
 * <p>
 * This class has a context of its own (the property below): Spring Security's test {@code csrf()}
 * post-processor, used by other classes, swaps the cached context's CSRF token repository for a
 * session-backed one, which would put sessions back.
 */
@SpringBootTest(properties = "sample.test.context=anonymous-traffic")
@AutoConfigureMockMvc
class AnonymousTrafficTests {

	/** How many rounds of anonymous requests to send; {@code -Dsample.anonymous-rounds=2500} for 10,000 requests. */
	private static final int ROUNDS = Integer.getInteger("sample.anonymous-rounds", 250);

	private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

	@Autowired
	private MockMvc mvc;

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void cookieLessRequestsToPublicPagesCreateNoSession() throws Exception {
		long before = sessionKeys();
		for (int i = 0; i < ROUNDS; i++) {
			this.mvc.perform(get("/login")).andExpect(status().isOk());
			this.mvc.perform(get("/login").param("error", ""));
			this.mvc.perform(get("/"));
			this.mvc.perform(get("/api/me/sessions")).andExpect(status().isUnauthorized());
		}
		long after = sessionKeys();

		System.out.println("[measure] session keys before/after " + (ROUNDS * 4) + " cookie-less requests: " + before
				+ " / " + after);
		assertThat(after).isEqualTo(before);
	}

	@Test
	void theLoginPageHandsOutItsCsrfTokenInACookieAndLoginStillWorks() throws Exception {
		MvcResult page = this.mvc.perform(get("/login")).andExpect(status().isOk()).andReturn();
		assertThat(page.getResponse().getCookie("SESSION")).isNull();
		Cookie csrfCookie = page.getResponse().getCookie("XSRF-TOKEN");
		assertThat(csrfCookie).isNotNull();
		assertThat(csrfCookie.isHttpOnly()).isTrue();
		Matcher field = CSRF_FIELD.matcher(page.getResponse().getContentAsString());
		assertThat(field.find()).as("the login form carries the token").isTrue();

		long before = sessionKeys();
		Cookie session = this.mvc
			.perform(post("/login").cookie(csrfCookie)
				.param("username", "bob")
				.param("password", "bob-password")
				.param("_csrf", field.group(1)))
			.andExpect(redirectedUrl("/api/me/sessions"))
			.andReturn()
			.getResponse()
			.getCookie("SESSION");
		assertThat(session).isNotNull();
		assertThat(sessionKeys()).as("the login wrote the session").isGreaterThan(before);
		// a cookie-based DELETE sends the token from the X-CSRF-TOKEN header with the XSRF-TOKEN cookie
		MvcResult list = this.mvc.perform(get("/api/me/sessions").cookie(session)).andExpect(status().isOk()).andReturn();
		String token = list.getResponse().getHeader("X-CSRF-TOKEN");
		Cookie tokenCookie = list.getResponse().getCookie("XSRF-TOKEN");
		assertThat(token).isNotNull();
		assertThat(tokenCookie).isNotNull();
		this.mvc.perform(delete("/api/me/sessions/others").cookie(session)).andExpect(status().isForbidden());
		this.mvc.perform(delete("/api/me/sessions/others").cookie(session, tokenCookie).header("X-CSRF-TOKEN", token))
			.andExpect(status().isOk());
	}

	private long sessionKeys() {
		long count = 0;
		try (Cursor<String> keys = this.redis.scan(ScanOptions.scanOptions().match("sample:session:*").count(500).build())) {
			while (keys.hasNext()) {
				keys.next();
				count++;
			}
		}
		return count;
	}

}
