package io.redispatterns.session;

import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An id change whose reply is lost and that Lettuce re-sends: the second run finds the tombstone
 * naming its own new id and reports the move done, so the session is not mistaken for a revoked one
 * (which would drop the new id from the principal's index).
 */
@WithRedis(topology = RedisTopology.STANDALONE)
class SessionReplayTests {

	RedisDeployment redis;

	@Test
	void aReSentIdChangeRecognisesItsOwnMove() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			SessionTestSupport.run(SessionTestSupport.runner(proxy::connectionDetails, SessionTestSupport.uniquePrefix()),
					(f) -> {
						RedisPatternsSessionRepository.RedisPatternsSession session = f.login("gus");
						RedisPatternsSessionRepository.RedisPatternsSession loaded = f.repository
							.findById(session.getId());
						String newId = loaded.changeSessionId();
						// only the id change's script names the tombstone key
						proxy.dropReplyOnce(":session:moved:", RedisProxy.Close.FIN);

						f.repository.save(loaded);

						assertThat(proxy.forwardedCount(":session:moved:")).as("the id change ran twice").isEqualTo(2);
						assertThat(f.repository.findById(newId)).isNotNull();
						assertThat(f.repository.findById(session.getId())).isNull();
						assertThat(f.repository.findByPrincipalName("gus")).containsOnlyKeys(newId);
					});
		}
	}

}
