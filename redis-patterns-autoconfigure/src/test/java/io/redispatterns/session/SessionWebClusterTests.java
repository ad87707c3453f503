package io.redispatterns.session;

import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Spring Security login (with its session id change) and "log out everywhere" through the web
 * layer on a 3-master Redis Cluster.
 */
@WithRedis(topology = RedisTopology.CLUSTER)
@SpringBootTest(classes = SessionWebTests.WebApp.class, properties = "redis-patterns.key-prefix=webcluster")
@AutoConfigureMockMvc
class SessionWebClusterTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private RedisConnectionFactory connectionFactory;

	@Test
	void loginChangesTheIdAndRevokeAllLogsEveryClientOut() throws Exception {
		assertThat(((LettuceConnectionFactory) this.connectionFactory).isClusterAware()).isTrue();
		Cookie anonymous = this.mvc.perform(get("/cart")).andReturn().getResponse().getCookie("SESSION");
		Cookie first = this.mvc
			.perform(post("/login").param("username", "xena").param("password", "xena-password")
				.cookie(anonymous).with(csrf()))
			.andExpect(status().is3xxRedirection())
			.andReturn().getResponse().getCookie("SESSION");
		assertThat(first.getValue()).isNotEqualTo(anonymous.getValue());
		this.mvc.perform(get("/cart").cookie(first)).andExpect(content().string("1 book"));
		Cookie second = this.mvc
			.perform(post("/login").param("username", "xena").param("password", "xena-password").with(csrf()))
			.andReturn().getResponse().getCookie("SESSION");
		Cookie other = this.mvc
			.perform(post("/login").param("username", "yuri").param("password", "yuri-password").with(csrf()))
			.andReturn().getResponse().getCookie("SESSION");

		this.mvc.perform(get("/me/sessions").cookie(second)).andExpect(jsonPath("$.length()").value(2));
		this.mvc.perform(delete("/me/sessions").cookie(second).with(csrf())).andExpect(jsonPath("$.revoked").value(2));
		this.mvc.perform(get("/me/sessions").cookie(first)).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/me/sessions").cookie(second)).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/me/sessions").cookie(other)).andExpect(status().isOk());
	}

}
