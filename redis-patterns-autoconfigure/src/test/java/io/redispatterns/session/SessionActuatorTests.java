package io.redispatterns.session;

import java.util.Map;

import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code session} sections of the {@code redisPatterns} health and of the {@code redispatterns} endpoint. */
@WithRedis
class SessionActuatorTests {

	static StandaloneRedis redis;

	@Test
	void theEndpointCountsSessionsAndIndexedPrincipalsAndHealthShowsWhatWasCounted() {
		SessionTestSupport.run(SessionTestSupport.runner(redis, SessionTestSupport.uniquePrefix(),
				"redis-patterns.session.max-per-user=3"), (f) -> {
					f.login("wim");
					f.login("wim");
					f.login("xena");
					RedisPatternsSessionRepository.RedisPatternsSession anonymous = f.repository.createSession();
					anonymous.setAttribute("cart", "one book");
					f.repository.save(anonymous);
					f.redis.opsForHash().put(f.repository.sessionKey(anonymous.getId()), "v", "0");
					assertThat(f.repository.findById(anonymous.getId())).isNull();

					Map<String, Object> endpoint = f.context.getBeansOfType(PatternEndpointDetails.class)
						.values()
						.stream()
						.filter((details) -> details.patternName().equals("session"))
						.findFirst()
						.orElseThrow()
						.describe();
					assertThat(endpoint).containsEntry("sessions", Map.of("count", 3L))
						.containsEntry("principalsIndexed", Map.of("count", 2L))
						.containsEntry("maxPerUser", 3);
					assertThat(endpoint.toString()).doesNotContain("wim").doesNotContain("xena");

					Map<String, Object> health = f.context.getBeansOfType(PatternHealthDetails.class)
						.values()
						.stream()
						.filter((details) -> details.patternName().equals("session"))
						.findFirst()
						.orElseThrow()
						.health()
						.getDetails();
					assertThat(health).containsEntry("undecodableSessions", 1L)
						.containsEntry("droppedEncryptedAttributes", 0L)
						.containsEntry("maxPerUser", 3);
				});
	}

}
