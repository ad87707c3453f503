package io.redispatterns.responsecache;

import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The response cache on a 3-master Redis Cluster: responses spread over the slots are stored,
 * served and revalidated, and one tag evicts responses that live in many slots.
 */
@WithRedis(topology = RedisTopology.CLUSTER)
@SpringBootTest(classes = ResponseCacheWebApplication.class, properties = "redis-patterns.key-prefix=rccluster")
@AutoConfigureMockMvc
class ResponseCacheClusterTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private RedisConnectionFactory connectionFactory;

	@Autowired
	private ResponseCacheWebApplication.Calls calls;

	@Autowired
	private HttpResponseCache responses;

	@Test
	void responsesAcrossTheSlotsAreServedRevalidatedAndEvictedByOneTag() throws Exception {
		assertThat(((LettuceConnectionFactory) this.connectionFactory).isClusterAware()).isTrue();
		int calls = this.calls.count("item");
		String[] etags = new String[20];
		for (int id = 0; id < 20; id++) {
			etags[id] = this.mvc.perform(get("/items/" + id)).andExpect(status().isOk()).andReturn().getResponse()
				.getHeader("ETag");
		}
		for (int id = 0; id < 20; id++) {
			this.mvc.perform(get("/items/" + id).header("If-None-Match", etags[id]))
				.andExpect(status().isNotModified())
				.andExpect(header().string("ETag", etags[id]));
		}
		assertThat(this.calls.count("item")).isEqualTo(calls + 20);

		assertThat(this.responses.evictTags("items")).isEqualTo(20);
		for (int id = 0; id < 20; id++) {
			this.mvc.perform(get("/items/" + id).header("If-None-Match", etags[id])).andExpect(status().isOk());
		}
		assertThat(this.calls.count("item")).isEqualTo(calls + 40);
	}

}
