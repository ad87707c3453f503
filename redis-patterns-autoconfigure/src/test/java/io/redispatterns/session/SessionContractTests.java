package io.redispatterns.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.lettuce.core.cluster.SlotHash;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisNode;
import org.junit.jupiter.api.Test;

import org.springframework.session.FindByIndexNameSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Spring Session's {@link FindByIndexNameSessionRepository} contract and Spring Session's own
 * Redis repositories promise: a deleted or revoked session never comes back, also under a new id;
 * index look-ups with no value or an unknown index find nothing. Run for each topology by a
 * subclass.
 */
abstract class SessionContractTests {

	protected abstract RedisDeployment deployment();

	private void run(Consumer<SessionTestSupport.Fixture> test) {
		SessionTestSupport.run(SessionTestSupport.runner(deployment(), SessionTestSupport.uniquePrefix()), test);
	}

	@Test
	void aRevokedSessionIsNotBroughtBackByAnIdChange() {
		run((f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("amy");
			session.setAttribute("cart", "two books");
			f.repository.save(session);
			String oldId = session.getId();
			RedisPatternsSessionRepository.RedisPatternsSession inFlight = f.repository.findById(oldId);

			assertThat(f.userSessions.revokeAll("amy")).isEqualTo(1);
			String newId = inFlight.changeSessionId();
			inFlight.setAttribute("cart", "three books");
			f.repository.save(inFlight);

			assertThat(f.repository.findById(oldId)).isNull();
			assertThat(f.repository.findById(newId)).as("not alive again under the new id").isNull();
			assertThat(f.repository.findByPrincipalName("amy")).isEmpty();
			assertThat(f.redis.keys(f.repository.sessionKeyPattern())).isEmpty();

			inFlight.setAttribute("cart", "four books");
			f.repository.save(inFlight);
			assertThat(f.redis.keys(f.repository.sessionKeyPattern())).as("later saves write nothing either")
				.isEmpty();
		});
	}

	@Test
	void aDeletedSessionStaysDeletedWhetherOrNotItsIdChanges() {
		run((f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("ben");
			RedisPatternsSessionRepository.RedisPatternsSession first = f.repository.findById(session.getId());
			RedisPatternsSessionRepository.RedisPatternsSession second = f.repository.findById(session.getId());
			f.repository.deleteById(session.getId());

			first.setAttribute("theme", "dark");
			f.repository.save(first);
			String newId = second.changeSessionId();
			f.repository.save(second);

			assertThat(f.repository.findById(session.getId())).isNull();
			assertThat(f.repository.findById(newId)).isNull();
			assertThat(f.repository.findByPrincipalName("ben")).isEmpty();
			assertThat(f.redis.keys(f.repository.sessionKeyPattern())).isEmpty();
		});
	}

	@Test
	void ofTwoIdChangesOfOneSessionExactlyOneSurvives() {
		run((f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("cleo");
			RedisPatternsSessionRepository.RedisPatternsSession first = f.repository.findById(session.getId());
			RedisPatternsSessionRepository.RedisPatternsSession second = f.repository.findById(session.getId());
			String firstId = first.changeSessionId();
			String secondId = second.changeSessionId();
			f.repository.save(first);
			f.repository.save(second);

			assertThat(f.repository.findById(firstId)).isNotNull();
			assertThat(f.repository.findById(secondId)).isNull();
			assertThat(f.repository.findById(session.getId())).isNull();
			assertThat(f.repository.findByPrincipalName("cleo")).containsOnlyKeys(firstId);
			assertThat(f.redis.keys(f.repository.sessionKeyPattern())).hasSize(1);
		});
	}

	@Test
	void ofConcurrentIdChangesOfOneSessionExactlyOneSurvives() {
		run((f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("dina");
			int requests = 8;
			ExecutorService executor = Executors.newFixedThreadPool(requests);
			try {
				CountDownLatch start = new CountDownLatch(1);
				List<Future<String>> ids = new ArrayList<>();
				for (int i = 0; i < requests; i++) {
					RedisPatternsSessionRepository.RedisPatternsSession copy = f.repository.findById(session.getId());
					Callable<String> login = () -> {
						String id = copy.changeSessionId();
						start.await();
						f.repository.save(copy);
						return id;
					};
					ids.add(executor.submit(login));
				}
				start.countDown();
				List<String> alive = new ArrayList<>();
				for (Future<String> id : ids) {
					String newId = id.get(30, TimeUnit.SECONDS);
					if (f.repository.findById(newId) != null) {
						alive.add(newId);
					}
				}
				assertThat(alive).hasSize(1);
				assertThat(f.repository.findByPrincipalName("dina")).containsOnlyKeys(alive);
				assertThat(f.redis.keys(f.repository.sessionKeyPattern())).hasSize(1);
			}
			catch (Exception ex) {
				throw new AssertionError(ex);
			}
			finally {
				executor.shutdownNow();
			}
		});
	}

	@Test
	void anIdChangeIsOneScriptOnTheSessionsSlotSentTogetherWithTheIndexScript() {
		run((f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("emil");
			RedisPatternsSessionRepository.RedisPatternsSession loaded = f.repository.findById(session.getId());
			String newId = loaded.changeSessionId();
			assertThat(SlotHash.getSlot(f.repository.sessionKey(newId)))
				.isEqualTo(SlotHash.getSlot(f.repository.sessionKey(session.getId())));
			Map<String, CommandCalls> before = calls();
			f.repository.save(loaded);
			long scripts = 0;
			long renames = 0;
			for (Map.Entry<String, CommandCalls> node : calls().entrySet()) {
				CommandCalls delta = node.getValue().since(before.get(node.getKey()));
				scripts += delta.get("evalsha") + delta.get("eval");
				renames += delta.get("rename") + delta.get("renamenx");
			}
			assertThat(scripts).as("the session script and the index script, sent together").isEqualTo(2);
			assertThat(renames).isZero();
			assertThat(f.repository.findById(newId)).isNotNull();
		});
	}

	@Test
	void findingByIndexWithNoValueOrAnUnknownIndexFindsNothing() {
		run((f) -> {
			f.login("fay");
			assertThat(f.repository.findByIndexNameAndIndexValue(
					FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, null)).isEmpty();
			assertThat(f.repository.findByIndexNameAndIndexValue("unknown", "fay")).isEmpty();
			assertThat(f.repository.findByIndexNameAndIndexValue("unknown", null)).isEmpty();
			assertThat(f.repository.findByPrincipalName("fay")).hasSize(1);
		});
	}

	private Map<String, CommandCalls> calls() {
		Map<String, CommandCalls> calls = new java.util.LinkedHashMap<>();
		for (RedisNode node : deployment().dataNodes()) {
			if (!node.name().contains("replica")) {
				calls.put(node.name(), CommandCalls.of(node));
			}
		}
		return calls;
	}

}
