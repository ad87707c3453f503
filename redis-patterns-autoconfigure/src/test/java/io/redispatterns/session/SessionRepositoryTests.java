package io.redispatterns.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.redispatterns.session.internal.CurrentClient;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.User;
import org.springframework.session.FindByIndexNameSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@WithRedis
class SessionRepositoryTests {

	static StandaloneRedis redis;

	record Cart(String owner, List<String> items, long total) {
	}

	@Test
	void attributesAreStoredAsJsonInAVersionedHashAndReadBack() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.repository.createSession();
			session.setAttribute("cart", new Cart("alice", new ArrayList<>(List.of("book", "pen")), 1234L));
			session.setAttribute("visits", 42L);
			session.setAttribute("theme", "dark");
			f.repository.save(session);

			String key = f.repository.sessionKey(session.getId());
			Map<Object, Object> hash = f.redis.opsForHash().entries(key);
			assertThat(hash).containsEntry("v", "1").containsKeys("created", "accessed", "maxInactive");
			assertThat((String) hash.get("attr:cart")).startsWith("{\"@class\":\"io.redispatterns.session.")
				.contains("\"items\":[\"java.util.ArrayList\",[\"book\",\"pen\"]]");
			assertThat(f.redis.getExpire(key)).isPositive();

			RedisPatternsSessionRepository.RedisPatternsSession found = f.repository.findById(session.getId());
			assertThat(found).isNotNull();
			assertThat(found.<Cart>getAttribute("cart")).isEqualTo(new Cart("alice", List.of("book", "pen"), 1234L));
			assertThat(found.<Long>getAttribute("visits")).isEqualTo(42L);
			assertThat(found.<String>getAttribute("theme")).isEqualTo("dark");
			assertThat(found.getCreationTime()).isEqualTo(session.getCreationTime());
		});
	}

	@Test
	void securityContextIsJsonAndIndexesThePrincipal() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			User user = new User("carol", "secret", AuthorityUtils.createAuthorityList("ROLE_USER"));
			UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.authenticated(user, null,
					user.getAuthorities());
			RedisPatternsSessionRepository.RedisPatternsSession session = f.repository.createSession();
			session.setAttribute("SPRING_SECURITY_CONTEXT", new SecurityContextImpl(token));
			f.repository.save(session);

			String json = (String) f.redis.opsForHash()
				.get(f.repository.sessionKey(session.getId()), "attr:SPRING_SECURITY_CONTEXT");
			assertThat(json).contains("org.springframework.security.core.context.SecurityContextImpl")
				.contains("\"username\":\"carol\"");
			Map<String, RedisPatternsSessionRepository.RedisPatternsSession> byUser = f.repository
				.findByPrincipalName("carol");
			assertThat(byUser).containsOnlyKeys(session.getId());
			SecurityContextImpl context = byUser.get(session.getId()).getAttribute("SPRING_SECURITY_CONTEXT");
			assertThat(context.getAuthentication().getName()).isEqualTo("carol");
			assertThat(context.getAuthentication().getAuthorities()).extracting("authority")
				.containsExactly("ROLE_USER");
		});
	}

	@Test
	void principalIndexShrinksAsSessionsExpire() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(
				SessionTestSupport.runner(redis, prefix, "spring.session.timeout=2s",
						"redis-patterns.session.touch-interval=0s"),
				(f) -> {
					f.login("alice");
					f.login("alice");
					String index = prefix + ":session:principal:alice";
					assertThat(f.redis.opsForZSet().zCard(index)).isEqualTo(2);
					assertThat(f.repository.findByPrincipalName("alice")).hasSize(2);
					assertThat(f.redis.getExpire(index)).as("the index expires with its last member").isPositive();

					await().atMost(Duration.ofSeconds(10))
						.pollInterval(Duration.ofMillis(200))
						.until(() -> f.repository.findByPrincipalName("alice").isEmpty());
					assertThat(f.redis.hasKey(index)).as("no stale members are left").isFalse();
					assertThat(f.redis.keys(prefix + ":*")).isEmpty();
				});
	}

	@Test
	void indexMembersWhoseSessionIsGoneAreRemovedOnRead() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession kept = f.login("dave");
			RedisPatternsSessionRepository.RedisPatternsSession lost = f.login("dave");
			f.redis.delete(f.repository.sessionKey(lost.getId()));
			assertThat(f.repository.findByPrincipalName("dave")).containsOnlyKeys(kept.getId());
			assertThat(f.redis.opsForZSet().range(prefix + ":session:principal:dave", 0, -1))
				.containsExactly(kept.getId());
		});
	}

	@Test
	void aSessionThatChangesPrincipalMovesToTheOtherIndex() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("ursula");
			session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "victor");
			f.repository.save(session);
			assertThat(f.repository.findByPrincipalName("ursula")).isEmpty();
			assertThat(f.repository.findByPrincipalName("victor")).containsOnlyKeys(session.getId());
			f.redis.opsForZSet().add(prefix + ":session:principal:ursula", session.getId(), Double.MAX_VALUE);
			assertThat(f.repository.findByPrincipalName("ursula")).as("a wrong index entry is dropped").isEmpty();
			assertThat(f.repository.findById(session.getId())).as("but the session is kept").isNotNull();
		});
	}

	@Test
	void changingTheIdMovesTheSessionAndItsIndexEntryWithoutRename() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("erin");
			session.setAttribute("theme", "dark");
			f.repository.save(session);
			String oldId = session.getId();
			RedisPatternsSessionRepository.RedisPatternsSession loaded = f.repository.findById(oldId);
			String newId = loaded.changeSessionId();
			f.repository.save(loaded);

			assertThat(f.repository.findById(oldId)).isNull();
			assertThat(f.redis.hasKey(f.repository.sessionKey(oldId))).isFalse();
			RedisPatternsSessionRepository.RedisPatternsSession moved = f.repository.findById(newId);
			assertThat(moved).isNotNull();
			assertThat(moved.<String>getAttribute("theme")).isEqualTo("dark");
			assertThat(f.redis.opsForZSet().range(prefix + ":session:principal:erin", 0, -1)).containsExactly(newId);
		});
	}

	@Test
	void maxPerUserRevokesTheLeastRecentlyUsedSessions() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix, "redis-patterns.session.max-per-user=2"),
				(f) -> {
					RedisPatternsSessionRepository.RedisPatternsSession first = f.login("frank");
					RedisPatternsSessionRepository.RedisPatternsSession second = f.login("frank");
					RedisPatternsSessionRepository.RedisPatternsSession third = f.login("frank");
					assertThat(f.repository.findById(first.getId())).isNull();
					assertThat(f.repository.findByPrincipalName("frank")).containsOnlyKeys(second.getId(),
							third.getId());
					assertThat(f.revocations(RevocationReason.MAX_PER_USER)).isEqualTo(1.0);
					assertThat(f.repository.findByPrincipalName("other")).isEmpty();
				});
	}

	@Test
	void absoluteTimeoutEndsASessionHoweverActive() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix, "redis-patterns.session.absolute-timeout=2s",
				"redis-patterns.session.touch-interval=0s"), (f) -> {
					RedisPatternsSessionRepository.RedisPatternsSession session = f.login("gina");
					await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
						RedisPatternsSessionRepository.RedisPatternsSession active = f.repository
							.findById(session.getId());
						if (active == null) {
							return true;
						}
						active.setLastAccessedTime(Instant.now());
						f.repository.save(active);
						return false;
					});
					assertThat(f.revocations(RevocationReason.ABSOLUTE_TIMEOUT)).isEqualTo(1.0);
					assertThat(f.redis.hasKey(f.repository.sessionKey(session.getId()))).isFalse();
					assertThat(f.repository.findByPrincipalName("gina")).isEmpty();
				});
	}

	@Test
	void corruptPayloadIsTreatedAsAbsentCountedAndDeleted() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession garbled = f.login("hank");
			f.redis.opsForHash().put(f.repository.sessionKey(garbled.getId()), "attr:cart", "{not json");
			RedisPatternsSessionRepository.RedisPatternsSession foreign = f.login("hank");
			f.redis.opsForHash()
				.put(f.repository.sessionKey(foreign.getId()), "attr:url", "[\"java.net.URL\",\"http://example.com\"]");
			RedisPatternsSessionRepository.RedisPatternsSession oldFormat = f.login("hank");
			f.redis.opsForHash().put(f.repository.sessionKey(oldFormat.getId()), "v", "0");

			assertThat(f.repository.findById(garbled.getId())).isNull();
			assertThat(f.repository.findById(foreign.getId())).as("class outside the allow-list").isNull();
			assertThat(f.repository.findById(oldFormat.getId())).as("unknown format version").isNull();
			assertThat(f.decodeFailures()).isEqualTo(3.0);
			assertThat(f.redis.keys(prefix + ":session:id:*")).isEmpty();
			assertThat(f.repository.findByPrincipalName("hank")).isEmpty();

			RedisPatternsSessionRepository.RedisPatternsSession fresh = f.repository.createSession();
			fresh.setAttribute("theme", "dark");
			f.repository.save(fresh);
			assertThat(f.repository.findById(fresh.getId())).isNotNull();
		});
	}

	@Test
	void savesAfterTheServerForgotTheScripts() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			f.login("ruth");
			f.redis.execute((org.springframework.data.redis.core.RedisCallback<Object>) (connection) -> {
				connection.scriptingCommands().scriptFlush();
				return null;
			});
			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("ruth");
			assertThat(f.repository.findById(session.getId())).isNotNull();
			assertThat(f.repository.findByPrincipalName("ruth")).hasSize(2);
		});
	}

	@Test
	void aRevokedSessionIsNotBroughtBackByALateSave() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("ivan");
			RedisPatternsSessionRepository.RedisPatternsSession inFlight = f.repository.findById(session.getId());
			assertThat(f.userSessions.revokeAll("ivan")).isEqualTo(1);
			inFlight.setAttribute("late", "write");
			f.repository.save(inFlight);
			assertThat(f.repository.findById(session.getId())).isNull();
			assertThat(f.redis.keys(prefix + ":*")).isEmpty();
			assertThat(f.revocations(RevocationReason.USER)).isEqualTo(1.0);
		});
	}

	@Test
	void lastAccessWritesAreThrottledByTheTouchInterval() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix, "redis-patterns.session.touch-interval=1m"),
				(f) -> {
					RedisPatternsSessionRepository.RedisPatternsSession session = f.login("judy");
					String key = f.repository.sessionKey(session.getId());
					Object stored = f.redis.opsForHash().get(key, "accessed");
					RedisPatternsSessionRepository.RedisPatternsSession loaded = f.repository.findById(session.getId());
					loaded.setLastAccessedTime(loaded.getLastAccessedTime().plusSeconds(30));
					f.repository.save(loaded);
					assertThat(f.redis.opsForHash().get(key, "accessed")).isEqualTo(stored);
					loaded.setLastAccessedTime(loaded.getLastAccessedTime().plusSeconds(60));
					f.repository.save(loaded);
					assertThat(f.redis.opsForHash().get(key, "accessed"))
						.isEqualTo(Long.toString(loaded.getLastAccessedTime().toEpochMilli()));
				});
	}

	@Test
	void flushModeImmediateWritesEachChange() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix, "spring.session.data.redis.flush-mode=immediate",
				"spring.session.data.redis.save-mode=always", "spring.session.timeout=7m"), (f) -> {
					assertThat(f.repository.settings().defaultMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(7));
					RedisPatternsSessionRepository.RedisPatternsSession session = f.repository.createSession();
					session.setAttribute("step", "one");
					assertThat(f.repository.findById(session.getId()).<String>getAttribute("step")).isEqualTo("one");
					assertThat(f.redis.getExpire(f.repository.sessionKey(session.getId()))).isBetween(400L, 420L);
				});
	}

	@Test
	void userSessionsListsAndRevokesByIdHash() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			CurrentClient.Client previous = CurrentClient.set(new CurrentClient.Client("203.0.113.9", "curl/8.5"));
			RedisPatternsSessionRepository.RedisPatternsSession laptop;
			try {
				laptop = f.login("kate");
			}
			finally {
				CurrentClient.set(previous);
			}
			RedisPatternsSessionRepository.RedisPatternsSession phone = f.login("kate");
			RedisPatternsSessionRepository.RedisPatternsSession tablet = f.login("kate");
			RedisPatternsSessionRepository.RedisPatternsSession other = f.login("leo");

			List<SessionInfo> list = f.userSessions.list("kate", phone.getId());
			assertThat(list).hasSize(3);
			assertThat(list).extracting(SessionInfo::idHash)
				.containsExactlyInAnyOrder(UserSessions.idHash(laptop.getId()), UserSessions.idHash(phone.getId()),
						UserSessions.idHash(tablet.getId()))
				.noneMatch((hash) -> hash.equals(phone.getId()));
			SessionInfo fromLaptop = list.stream()
				.filter((info) -> info.idHash().equals(UserSessions.idHash(laptop.getId())))
				.findFirst()
				.orElseThrow();
			assertThat(fromLaptop.clientIp()).isEqualTo("203.0.113.9");
			assertThat(fromLaptop.userAgent()).isEqualTo("curl/8.5");
			assertThat(list).filteredOn(SessionInfo::current).extracting(SessionInfo::idHash)
				.containsExactly(UserSessions.idHash(phone.getId()));

			assertThat(f.userSessions.revoke("kate", UserSessions.idHash(tablet.getId()))).isTrue();
			assertThat(f.userSessions.revoke("kate", UserSessions.idHash(other.getId()))).as("not kate's").isFalse();
			assertThat(f.userSessions.revokeAllExcept("kate", phone.getId())).isEqualTo(1);
			assertThat(f.repository.findByPrincipalName("kate")).containsOnlyKeys(phone.getId());
			assertThat(f.repository.findById(other.getId())).isNotNull();
			assertThat(f.revocations(RevocationReason.USER)).isEqualTo(2.0);
		});
	}

	@Test
	void aSessionSurvivesAnApplicationRestart() {
		String prefix = SessionTestSupport.uniquePrefix();
		String[] id = new String[1];
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.login("mia");
			session.setAttribute("cart", new Cart("mia", new ArrayList<>(List.of("lamp")), 99L));
			f.repository.save(session);
			id[0] = session.getId();
		});
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix), (f) -> {
			RedisPatternsSessionRepository.RedisPatternsSession session = f.repository.findById(id[0]);
			assertThat(session).isNotNull();
			assertThat(session.<Cart>getAttribute("cart").items()).containsExactly("lamp");
			assertThat(f.repository.findByPrincipalName("mia")).containsOnlyKeys(id[0]);
		});
	}

	@Test
	void worksWithoutSpringSecurityOnTheClasspath() {
		String prefix = SessionTestSupport.uniquePrefix();
		SessionTestSupport.run(SessionTestSupport.runner(redis, prefix)
			.withClassLoader(new FilteredClassLoader("org.springframework.security.")), (f) -> {
				RedisPatternsSessionRepository.RedisPatternsSession session = f.login("nora");
				session.setAttribute("visits", 3L);
				f.repository.save(session);
				assertThat(f.repository.findByIndexNameAndIndexValue(
						FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "nora"))
					.containsOnlyKeys(session.getId());
				assertThat(f.repository.findById(session.getId()).<Long>getAttribute("visits")).isEqualTo(3L);
				assertThat(f.userSessions.revokeAll("nora")).isEqualTo(1);
			});
	}

}
