package io.redispatterns.sample.session;

import java.util.Base64;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The session demo as the README walks through it, against the embedded Redis default.
 */
@SpringBootTest
@AutoConfigureMockMvc
class SessionSampleTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private StringRedisTemplate redis;

	@Autowired
	private io.redispatterns.session.internal.RedisPatternsSessionRepository sessions;

	@Test
	void twoClientsOfOneUserAreListedAndLoggedOutEverywhereWhileAnotherUserIsUntouched() throws Exception {
		Cookie laptop = login("alice", "alice-password");
		Cookie phone = login("alice", "alice-password");
		Cookie bob = login("bob", "bob-password");

		this.mvc.perform(get("/api/me/sessions").cookie(laptop))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$").isArray())
			.andExpect(jsonPath("$.length()").value(2))
			.andExpect(jsonPath("$[?(@.current == true)].idHash").value(idHash(laptop)));
		assertThat(this.redis.keys("sample:session:id:*")).as("sessions live under the sample prefix")
			.contains(this.sessions.sessionKey(id(laptop)), this.sessions.sessionKey(id(phone)));

		this.mvc.perform(delete("/api/me/sessions").cookie(phone).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.revoked").value(2));

		this.mvc.perform(get("/api/me/sessions").cookie(laptop)).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/api/me/sessions").cookie(phone)).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/api/me/sessions").cookie(bob))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.length()").value(1));
	}

	@Test
	void logOutEverywhereElseKeepsTheCurrentSession() throws Exception {
		Cookie laptop = login("alice", "alice-password");
		Cookie phone = login("alice", "alice-password");
		this.mvc.perform(delete("/api/me/sessions/others").cookie(laptop).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.revoked").value(1));
		this.mvc.perform(get("/api/me/sessions").cookie(laptop))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.length()").value(1))
			.andExpect(jsonPath("$[0].current").value(true));
		this.mvc.perform(get("/api/me/sessions").cookie(phone)).andExpect(status().isUnauthorized());
		this.mvc.perform(delete("/api/me/sessions").cookie(laptop).with(csrf())).andExpect(status().isOk());
	}

	@Test
	void httpBasicWorksWithoutCreatingASessionOrNeedingACsrfToken() throws Exception {
		Cookie session = login("bob", "bob-password");
		MvcResult result = this.mvc.perform(get("/api/me/sessions").with(httpBasic("bob", "bob-password")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.length()").value(1))
			.andExpect(jsonPath("$[0].current").value(false))
			.andReturn();
		assertThat(result.getResponse().getCookie("SESSION")).isNull();
		this.mvc.perform(delete("/api/me/sessions").with(httpBasic("bob", "bob-password")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.revoked").value(1));
		this.mvc.perform(get("/api/me/sessions").cookie(session)).andExpect(status().isUnauthorized());
	}

	@Test
	void unauthenticatedAndBadCredentialsAreRefused() throws Exception {
		this.mvc.perform(get("/api/me/sessions"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Basic")));
		this.mvc.perform(get("/api/me/sessions").with(httpBasic("alice", "wrong"))).andExpect(status().isUnauthorized());
		this.mvc.perform(post("/login").param("username", "alice").param("password", "wrong").with(csrf()))
			.andExpect(redirectedUrl("/login?error"));
		this.mvc.perform(post("/login").param("username", "alice").param("password", "alice-password"))
			.andExpect(status().isForbidden());
	}

	@Test
	void pathsOutsideTheSessionDemoNeedNeitherLoginNorCsrfToken() throws Exception {
		int post = this.mvc.perform(post("/api/orders").contentType("application/json").content("{}"))
			.andReturn().getResponse().getStatus();
		int putStatus = this.mvc.perform(put("/api/inventory/sku-1").contentType("application/json").content("{}"))
			.andReturn().getResponse().getStatus();
		int get = this.mvc.perform(get("/api/quotes")).andReturn().getResponse().getStatus();
		assertThat(new int[] { post, putStatus, get }).doesNotContain(401, 403);
		this.mvc.perform(get("/actuator/health")).andExpect(status().isOk());
	}

	@Test
	void theSecurityContextIsStoredEncryptedAndStillAuthenticates() throws Exception {
		Cookie laptop = login("alice", "alice-password");
		String stored = (String) this.redis.opsForHash()
			.get(this.sessions.sessionKey(id(laptop)), "attr:SPRING_SECURITY_CONTEXT");

		assertThat(stored).startsWith("rpe1$demo-2026$").doesNotContain("alice").doesNotContain("ROLE_");
		this.mvc.perform(get("/api/me/sessions").cookie(laptop)).andExpect(status().isOk());
		// the other tests count alice's sessions
		this.mvc.perform(delete("/api/me/sessions").cookie(laptop).with(csrf())).andExpect(status().isOk());
	}

	private Cookie login(String user, String password) throws Exception {
		Cookie cookie = this.mvc.perform(post("/login").param("username", user).param("password", password).with(csrf()))
			.andExpect(redirectedUrl("/api/me/sessions"))
			.andReturn()
			.getResponse()
			.getCookie("SESSION");
		assertThat(cookie).isNotNull();
		return cookie;
	}

	private static String id(Cookie cookie) {
		return new String(Base64.getDecoder().decode(cookie.getValue()));
	}

	private static String idHash(Cookie cookie) {
		return io.redispatterns.session.UserSessions.idHash(id(cookie));
	}

}
