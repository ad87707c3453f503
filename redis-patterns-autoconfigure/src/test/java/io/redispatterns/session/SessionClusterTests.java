package io.redispatterns.session;

import java.util.List;

import io.lettuce.core.cluster.SlotHash;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.ClusterRedis;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

@WithRedis(topology = RedisTopology.CLUSTER)
class SessionClusterTests {

	static ClusterRedis cluster;

	@Test
	void loginIdChangeAndRevokeAllWorkAcrossSlots() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(cluster, prefix, "redis-patterns.session.max-per-user=3"),
				(f) -> {
					assertThat(f.context.getBean(RedisConnectionFactory.class))
						.isInstanceOfSatisfying(LettuceConnectionFactory.class,
								(factory) -> assertThat(factory.isClusterAware()).isTrue());
					RedisPatternsSessionRepository.RedisPatternsSession anonymous = f.repository.createSession();
					anonymous.setAttribute("cart", "three books");
					f.repository.save(anonymous);
					String anonymousId = anonymous.getId();

					RedisPatternsSessionRepository.RedisPatternsSession loggingIn = f.repository.findById(anonymousId);
					String newId = loggingIn.changeSessionId();
					loggingIn.setAttribute(org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME,
							"olga");
					f.repository.save(loggingIn);
					RedisPatternsSessionRepository.RedisPatternsSession second = f.login("olga");

					String oldKey = f.repository.sessionKey(anonymousId);
					String newKey = f.repository.sessionKey(newId);
					String index = f.repository.principalKey("olga");
					assertThat(SlotHash.getSlot(newKey)).as("an id change keeps the session's slot")
						.isEqualTo(SlotHash.getSlot(oldKey));
					assertThat(List.of(SlotHash.getSlot(oldKey), SlotHash.getSlot(index)))
						.as("session and index are in different slots")
						.doesNotHaveDuplicates();

					assertThat(f.repository.findById(anonymousId)).isNull();
					assertThat(f.repository.findById(newId).<String>getAttribute("cart")).isEqualTo("three books");
					assertThat(f.repository.findByPrincipalName("olga")).containsOnlyKeys(newId, second.getId());

					assertThat(f.userSessions.revokeAll("olga")).isEqualTo(2);
					assertThat(f.repository.findById(newId)).isNull();
					assertThat(f.repository.findById(second.getId())).isNull();
					assertThat(f.redis.hasKey(index)).isFalse();
				});
	}

}
