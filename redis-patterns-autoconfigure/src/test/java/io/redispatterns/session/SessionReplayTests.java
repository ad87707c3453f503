package io.redispatterns.session;

import java.util.Set;

import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.session.FindByIndexNameSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session writes whose reply is lost and that Lettuce re-sends. An id change: the second run finds the
 * tombstone naming its own new id and reports the move done, so the session is not mistaken for a revoked
 * one (which would drop the new id from the principal's index). A login: the second run of the new
 * session's hash write rewrites the same fields and expiry, leaving one session and one index member.
 */
@WithRedis(topology = RedisTopology.STANDALONE)
class SessionReplayTests {

	RedisDeployment redis;

	@Test
	void aReSentIdChangeRecognisesItsOwnMove() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			SessionTestSupport.run(SessionTestSupport.runner(proxy::connectionDetails, SessionTestSupport.uniquePrefix()),
					(f) -> {
						// the scripts loaded first (Redis's script cache is shared by the tests of one server): a
						// NOSCRIPT answer and the EVAL after it would count as one more run
						RedisPatternsSessionRepository.RedisPatternsSession warm = f.repository
							.findById(f.login("warm").getId());
						warm.changeSessionId();
						f.repository.save(warm);
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

	@Test
	void aReSentLoginWritesOneSessionWithItsExpiryAndOneIndexMember() {
		String prefix = SessionTestSupport.uniquePrefix();
		try (RedisProxy proxy = RedisProxy.start(this.redis.dataNodes().get(0))) {
			SessionTestSupport.run(SessionTestSupport.runner(proxy::connectionDetails, prefix),
					(f) -> {
						// the scripts loaded first, as above
						f.login("warm");
						RedisPatternsSessionRepository.RedisPatternsSession session = f.repository.createSession();
						session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "hal");
						// only the new session's hash write (create.lua) carries the attribute's value
						session.setAttribute("marker", "create-replay-marker");
						proxy.dropReplyOnce("create-replay-marker", RedisProxy.Close.FIN);

						f.repository.save(session);

						assertThat(proxy.forwardedCount("create-replay-marker")).as("the create ran twice")
							.isEqualTo(2);
						RedisPatternsSessionRepository.RedisPatternsSession loaded = f.repository
							.findById(session.getId());
						assertThat(loaded).isNotNull();
						assertThat(loaded.<String>getAttribute("marker")).isEqualTo("create-replay-marker");
						assertThat(f.repository.findByPrincipalName("hal")).containsOnlyKeys(session.getId());
						Set<String> hashes = f.redis.keys(prefix + ":session:id:*");
						assertThat(hashes).as("the warm-up's session and this one").hasSize(2);
						assertThat(hashes).allSatisfy(
								(hash) -> assertThat(f.redis.getExpire(hash)).as("the hash expires").isPositive());
					});
		}
	}

}
