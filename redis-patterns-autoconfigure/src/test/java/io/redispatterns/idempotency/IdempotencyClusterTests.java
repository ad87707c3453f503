package io.redispatterns.idempotency;

import java.util.UUID;

import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code @Idempotent} on a 3-master Redis Cluster: keys spread over the slots, each claim,
 * completion and replay works, and a reused key is still refused.
 */
@WithRedis(topology = RedisTopology.CLUSTER)
@SpringBootTest(classes = IdempotencyWebApplication.class, properties = "redis-patterns.key-prefix=idemcluster")
@AutoConfigureMockMvc
class IdempotencyClusterTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private RedisConnectionFactory connectionFactory;

	@Autowired
	private IdempotencyWebApplication.Calls calls;

	@Test
	void manyKeysAreClaimedCompletedAndReplayedAcrossTheSlots() throws Exception {
		assertThat(((LettuceConnectionFactory) this.connectionFactory).isClusterAware()).isTrue();
		int before = this.calls.count("orders");
		for (int i = 0; i < 20; i++) {
			String key = UUID.randomUUID().toString();
			String order = "{\"item\":\"item-" + i + "\",\"quantity\":1}";
			MvcResult first = this.mvc
				.perform(post("/orders").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
					.content(order))
				.andExpect(status().isCreated())
				.andReturn();
			this.mvc
				.perform(post("/orders").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
					.content(order))
				.andExpect(status().isCreated())
				.andExpect(header().string("Idempotent-Replayed", "true"))
				.andExpect(content().string(first.getResponse().getContentAsString()));
			this.mvc
				.perform(post("/orders").header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
					.content("{}"))
				.andExpect(status().isUnprocessableContent());
		}
		assertThat(this.calls.count("orders")).isEqualTo(before + 20);
	}

}
