package io.redispatterns.session;

import java.util.List;
import java.util.Map;

import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.WithRedis;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.SessionRepository;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The repository behind Spring Session's filter, Spring Security (form login, session fixation
 * protection, {@code maximumSessions}) and Actuator's {@code sessions} endpoint.
 */
@WithRedis
@SpringBootTest(properties = { "redis-patterns.key-prefix=webtest", "redis-patterns.session.trusted-proxies=10.0.0.0/8",
		"management.endpoints.web.exposure.include=sessions,redispatterns" })
@AutoConfigureMockMvc
class SessionWebTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private SessionRepository<?> sessionRepository;

	@Autowired
	private StringRedisTemplate redis;

	@Test
	void theRepositoryIsRedisPatterns() {
		assertThat(this.sessionRepository).isInstanceOf(RedisPatternsSessionRepository.class);
	}

	@Test
	void loginChangesTheSessionIdKeepsAttributesAndRecordsTheClient() throws Exception {
		Cookie anonymous = this.mvc.perform(get("/cart")).andExpect(status().isOk()).andReturn().getResponse()
			.getCookie("SESSION");
		assertThat(anonymous).isNotNull();
		MvcResult login = this.mvc
			.perform(post("/login").param("username", "wendy").param("password", "wendy-password")
				.cookie(anonymous).header("User-Agent", "TestBrowser/1.0").with(csrf())
				.with((request) -> {
					request.setRemoteAddr("198.51.100.7");
					return request;
				}))
			.andExpect(status().is3xxRedirection())
			.andReturn();
		Cookie loggedIn = login.getResponse().getCookie("SESSION");
		assertThat(loggedIn).isNotNull();
		assertThat(loggedIn.getValue()).as("fixation protection").isNotEqualTo(anonymous.getValue());
		assertThat(this.sessionRepository.findById(decode(anonymous))).isNull();

		this.mvc.perform(get("/cart").cookie(loggedIn)).andExpect(content().string("1 book"));
		this.mvc.perform(get("/me/sessions").cookie(loggedIn))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.length()").value(1))
			.andExpect(jsonPath("$[0].clientIp").value("198.51.100.7"))
			.andExpect(jsonPath("$[0].userAgent").value("TestBrowser/1.0"))
			.andExpect(jsonPath("$[0].current").value(true))
			.andExpect(jsonPath("$[0].idHash").value(UserSessions.idHash(decode(loggedIn))));

		this.mvc.perform(post("/logout").cookie(loggedIn).with(csrf()));
		assertThat(this.sessionRepository.findById(decode(loggedIn))).isNull();
		assertThat(this.redis.hasKey("webtest:session:principal:wendy")).isFalse();
	}

	@Test
	void loginThroughATrustedProxyRecordsTheForwardedClientIp() throws Exception {
		Cookie viaProxy = loginFrom("sam", "10.1.2.3", "203.0.113.9, 10.9.9.9");
		this.mvc.perform(get("/me/sessions").cookie(viaProxy))
			.andExpect(jsonPath("$.length()").value(1))
			.andExpect(jsonPath("$[0].clientIp").value("203.0.113.9"));

		Cookie viaForwarded = loginFrom("tess", "10.1.2.3", null);
		this.mvc.perform(get("/me/sessions").cookie(viaForwarded))
			.andExpect(jsonPath("$.length()").value(1))
			.andExpect(jsonPath("$[0].clientIp").value("2001:db8:0:0:0:0:0:7"));
	}

	@Test
	void loginFromAnUntrustedAddressRecordsTheRemoteAddressWhateverItForwards() throws Exception {
		Cookie direct = loginFrom("uma", "198.51.100.8", "203.0.113.9");
		this.mvc.perform(get("/me/sessions").cookie(direct))
			.andExpect(jsonPath("$.length()").value(1))
			.andExpect(jsonPath("$[0].clientIp").value("198.51.100.8"));
	}

	/** Logs in over a connection from {@code remote}; X-Forwarded-For when given, else a Forwarded header. */
	private Cookie loginFrom(String user, String remote, @Nullable String forwardedFor) throws Exception {
		Cookie cookie = this.mvc
			.perform(post("/login").param("username", user).param("password", user + "-password").with(csrf())
				.with((request) -> {
					request.setRemoteAddr(remote);
					if (forwardedFor != null) {
						request.addHeader("X-Forwarded-For", forwardedFor);
					}
					else {
						request.addHeader("Forwarded", "for=\"[2001:db8::7]:4711\";proto=https");
					}
					return request;
				}))
			.andExpect(status().is3xxRedirection())
			.andReturn()
			.getResponse()
			.getCookie("SESSION");
		assertThat(cookie).isNotNull();
		return cookie;
	}

	@Test
	void sessionCookieIsHttpOnlySameSiteLaxAndSecureOverTls() throws Exception {
		String plain = this.mvc.perform(get("/cart")).andReturn().getResponse().getHeader("Set-Cookie");
		assertThat(plain).contains("SESSION=").contains("HttpOnly").contains("SameSite=Lax").doesNotContain("Secure");
		String tls = this.mvc.perform(get("/cart").secure(true)).andReturn().getResponse().getHeader("Set-Cookie");
		assertThat(tls).contains("HttpOnly").contains("SameSite=Lax").contains("Secure");
	}

	@Test
	void revokeAllLogsOutEveryClientOfTheUserOnly() throws Exception {
		Cookie first = login("xena");
		Cookie second = login("xena");
		Cookie other = login("yuri");
		this.mvc.perform(get("/me/sessions").cookie(first)).andExpect(jsonPath("$.length()").value(2));

		this.mvc.perform(delete("/me/sessions").cookie(first).with(csrf())).andExpect(status().isOk());

		this.mvc.perform(get("/me/sessions").cookie(first)).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/me/sessions").cookie(second)).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/me/sessions").cookie(other)).andExpect(status().isOk())
			.andExpect(jsonPath("$.length()").value(1));
	}

	@Test
	void aSessionThatNoLongerDecodesGivesAFreshSessionNotAnError() throws Exception {
		Cookie cookie = login("wendy");
		this.redis.opsForHash()
			.put(((RedisPatternsSessionRepository) this.sessionRepository).sessionKey(decode(cookie)), "attr:SPRING_SECURITY_CONTEXT",
					"{\"@class\":\"com.example.Removed\"}");
		this.mvc.perform(get("/me/sessions").cookie(cookie)).andExpect(status().isUnauthorized());
		MvcResult fresh = this.mvc.perform(get("/cart").cookie(cookie)).andExpect(status().isOk()).andReturn();
		assertThat(fresh.getResponse().getCookie("SESSION").getValue()).isNotEqualTo(cookie.getValue());
	}

	@Test
	void springSecurityMaximumSessionsExpiresTheLeastRecentlyUsedSession() throws Exception {
		Cookie first = login("zoe");
		Cookie second = login("zoe");
		this.mvc.perform(get("/me/sessions").cookie(second)).andExpect(status().isOk());
		Cookie third = login("zoe");

		this.mvc.perform(get("/me/sessions").cookie(first))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("expired")));
		this.mvc.perform(get("/me/sessions").cookie(second)).andExpect(status().isOk());
		this.mvc.perform(get("/me/sessions").cookie(third)).andExpect(status().isOk());
	}

	@Test
	void actuatorSessionsEndpointFindsByUsernameAndDeletes() throws Exception {
		Cookie cookie = login("quinn");
		String id = decode(cookie);
		this.mvc.perform(get("/actuator/sessions").param("username", "quinn"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.sessions.length()").value(1))
			.andExpect(jsonPath("$.sessions[0].id").value(id));
		this.mvc.perform(delete("/actuator/sessions/" + id)).andExpect(status().isNoContent());
		this.mvc.perform(get("/me/sessions").cookie(cookie)).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/actuator/sessions").param("username", "quinn"))
			.andExpect(jsonPath("$.sessions.length()").value(0));
	}

	@Test
	void redisPatternsEndpointShowsTheConfigurationButNoIds() throws Exception {
		Cookie cookie = login("rhea");
		String body = this.mvc.perform(get("/actuator/redispatterns"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.patterns.session.sessionKeys").value("webtest:session:id:*"))
			.andExpect(jsonPath("$.patterns.session.timeout").value("PT30M"))
			.andExpect(jsonPath("$.patterns.session.maxPerUser").value(0))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(body).doesNotContain(decode(cookie)).doesNotContain("rhea");
	}

	private Cookie login(String user) throws Exception {
		Cookie cookie = this.mvc
			.perform(post("/login").param("username", user).param("password", user + "-password").with(csrf()))
			.andExpect(status().is3xxRedirection())
			.andReturn()
			.getResponse()
			.getCookie("SESSION");
		assertThat(cookie).isNotNull();
		return cookie;
	}

	private static String decode(Cookie cookie) {
		return new String(java.util.Base64.getDecoder().decode(cookie.getValue()));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class WebApp {

		@Bean
		SecurityFilterChain security(HttpSecurity http) throws Exception {
			return http
				.authorizeHttpRequests((requests) -> requests.requestMatchers("/me/**")
					.authenticated()
					.anyRequest()
					.permitAll())
				.formLogin(Customizer.withDefaults())
				.httpBasic(Customizer.withDefaults())
				.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(
						(request, response, ex) -> response.sendError(401)))
				.sessionManagement((sessions) -> sessions.maximumSessions(2))
				.csrf((csrf) -> csrf.ignoringRequestMatchers("/actuator/**"))
				.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					List.of("wendy", "xena", "yuri", "zoe", "quinn", "rhea", "sam", "tess", "uma")
						.stream()
						.map((name) -> User.withUsername(name).password("{noop}" + name + "-password").roles("USER")
							.build())
						.toList());
		}

		@Bean
		Controller controller(UserSessions userSessions) {
			return new Controller(userSessions);
		}

	}

	@RestController
	static class Controller {

		private final UserSessions userSessions;

		Controller(UserSessions userSessions) {
			this.userSessions = userSessions;
		}

		@GetMapping("/cart")
		String cart(HttpSession session) {
			if (session.getAttribute("cart") == null) {
				session.setAttribute("cart", "1 book");
			}
			return (String) session.getAttribute("cart");
		}

		@GetMapping("/me/sessions")
		List<SessionInfo> sessions(Authentication authentication, HttpSession session) {
			return this.userSessions.list(authentication.getName(), session.getId());
		}

		@DeleteMapping("/me/sessions")
		Map<String, Integer> revokeAll(Authentication authentication) {
			return Map.of("revoked", this.userSessions.revokeAll(authentication.getName()));
		}

	}

}
