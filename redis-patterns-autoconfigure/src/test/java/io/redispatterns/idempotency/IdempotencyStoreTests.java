package io.redispatterns.idempotency;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim, complete and release scripts against a real Redis: the states of a key, its lease
 * and window, and replays of each script (the same command run twice, and a claim whose reply
 * was really lost and re-sent by Lettuce).
 */
@WithRedis
class IdempotencyStoreTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private StandaloneRedis redis;

	private LettuceConnectionFactory connectionFactory;

	private IdempotencyStore store;

	private StringRedisTemplate template;

	private final String key = "idemtest:idem:orders:{anonymous/" + UUID.randomUUID() + "}";

	@BeforeEach
	void connect() {
		this.connectionFactory = connect(this.redis.node().host(), this.redis.node().port());
		this.store = new IdempotencyStore(this.connectionFactory);
		this.template = new StringRedisTemplate(this.connectionFactory);
	}

	@AfterEach
	void close() {
		this.connectionFactory.destroy();
	}

	private static LettuceConnectionFactory connect(String host, int port) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	private static StoredResponse response(int status, String body) {
		return new StoredResponse(status, List.of(Map.entry("Content-Type", "application/json"),
				Map.entry("Location", "/orders/1")), body.getBytes(StandardCharsets.UTF_8), false);
	}

	@Test
	void firstClaimWinsAndAnotherRequestSeesItInProgressWithinTheLease() {
		assertThat(this.store.claim(this.key, "first", "fp", LEASE)).isInstanceOf(ClaimResult.Claimed.class);
		ClaimResult second = this.store.claim(this.key, "second", "fp", LEASE);
		assertThat(second).isInstanceOfSatisfying(ClaimResult.InProgress.class,
				(inProgress) -> assertThat(inProgress.leaseMillis()).isBetween(1L, LEASE.toMillis()));
		assertThat(this.template.getExpire(this.key)).isBetween(1L, 30L);
	}

	@Test
	void completedResponseIsReplayedWithStatusHeadersAndBodyForTheWindow() {
		this.store.claim(this.key, "first", "fp", LEASE);
		assertThat(this.store.complete(this.key, "first", response(201, "{\"id\":1}"), Duration.ofHours(1))).isTrue();
		ClaimResult retry = this.store.claim(this.key, "retry", "fp", LEASE);
		assertThat(retry).isInstanceOfSatisfying(ClaimResult.Completed.class, (completed) -> {
			assertThat(completed.response().status()).isEqualTo(201);
			assertThat(completed.response().headers()).containsExactly(Map.entry("Content-Type", "application/json"),
					Map.entry("Location", "/orders/1"));
			assertThat(new String(completed.response().body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}");
			assertThat(completed.response().bodyOmitted()).isFalse();
		});
		assertThat(this.template.getExpire(this.key)).isBetween(3500L, 3600L);
	}

	@Test
	void binaryBodiesSurviveUnchanged() {
		byte[] body = new byte[256];
		for (int i = 0; i < body.length; i++) {
			body[i] = (byte) i;
		}
		this.store.claim(this.key, "first", "fp", LEASE);
		this.store.complete(this.key, "first", new StoredResponse(200, List.of(), body, false), Duration.ofMinutes(1));
		ClaimResult retry = this.store.claim(this.key, "retry", "fp", LEASE);
		assertThat(((ClaimResult.Completed) retry).response().body()).isEqualTo(body);
	}

	@Test
	void sameKeyWithDifferentFingerprintIsAMismatchWhileRunningAndAfterCompletion() {
		this.store.claim(this.key, "first", "fp-a", LEASE);
		assertThat(this.store.claim(this.key, "other", "fp-b", LEASE)).isInstanceOf(ClaimResult.Mismatch.class);
		this.store.complete(this.key, "first", response(200, "{}"), Duration.ofMinutes(1));
		assertThat(this.store.claim(this.key, "other", "fp-b", LEASE)).isInstanceOf(ClaimResult.Mismatch.class);
	}

	@Test
	void releasedKeyCanBeClaimedAgainAndOnlyItsHolderCanReleaseIt() {
		this.store.claim(this.key, "first", "fp", LEASE);
		assertThat(this.store.release(this.key, "someone-else")).isFalse();
		assertThat(this.store.release(this.key, "first")).isTrue();
		assertThat(this.store.release(this.key, "first")).as("a re-sent release does nothing").isFalse();
		assertThat(this.store.claim(this.key, "retry", "fp", LEASE)).isInstanceOf(ClaimResult.Claimed.class);
	}

	@Test
	void inProgressMarkerEndsWithItsLeaseSoACrashedRequestDoesNotBlockTheKey() {
		this.store.claim(this.key, "crashed", "fp", Duration.ofMillis(100));
		// until the marker expires a retry sees the request in progress, then it claims the key
		AtomicReference<ClaimResult> retry = new AtomicReference<>();
		Awaitility.await("the in-progress marker expired")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> {
				retry.set(this.store.claim(this.key, "retry", "fp", LEASE));
				return !(retry.get() instanceof ClaimResult.InProgress);
			});
		assertThat(retry.get()).isInstanceOf(ClaimResult.Claimed.class);
		assertThat(this.store.complete(this.key, "crashed", response(200, "late"), Duration.ofMinutes(1)))
			.as("the crashed request's late completion does not overwrite the new holder").isFalse();
	}

	@Test
	void onlyTheRunningHolderRenewsTheMarker() {
		this.store.claim(this.key, "first", "fp", Duration.ofSeconds(5));
		assertThat(this.store.extend(this.key, "other", LEASE)).isFalse();
		assertThat(this.template.getExpire(this.key)).isLessThanOrEqualTo(5L);
		assertThat(this.store.extend(this.key, "first", LEASE)).isTrue();
		assertThat(this.template.getExpire(this.key)).isGreaterThan(5L);
		this.store.complete(this.key, "first", response(200, "ok"), Duration.ofHours(1));
		assertThat(this.store.extend(this.key, "first", LEASE)).as("a completed response keeps its window").isFalse();
		assertThat(this.template.getExpire(this.key)).isGreaterThan(3000L);
	}

	@Test
	void claimRunTwiceWithTheSameTokenRecognisesItself() {
		assertThat(this.store.claim(this.key, "token-1", "fp", LEASE)).isInstanceOf(ClaimResult.Claimed.class);
		assertThat(this.store.claim(this.key, "token-1", "fp", LEASE)).isInstanceOf(ClaimResult.Claimed.class);
		assertThat(this.store.complete(this.key, "token-1", response(200, "ok"), Duration.ofMinutes(1))).isTrue();
		assertThat(this.store.complete(this.key, "token-1", response(200, "ok"), Duration.ofMinutes(1)))
			.as("a re-sent completion reports success").isTrue();
	}

	@Test
	void claimWhoseReplyIsLostIsResentByLettuceAndRecognisesItself() {
		try (RedisProxy proxy = RedisProxy.start(this.redis.node())) {
			LettuceConnectionFactory proxied = connect(proxy.host(), proxy.port());
			try {
				IdempotencyStore store = new IdempotencyStore(proxied);
				String token = "token-" + UUID.randomUUID();
				proxy.dropReplyOnce(token, RedisProxy.Close.FIN);
				ClaimResult result = store.claim(this.key, token, "fp", LEASE);
				assertThat(proxy.dropFired()).isTrue();
				assertThat(proxy.forwardedCount(token)).as("the claim ran twice on the server").isEqualTo(2);
				assertThat(result).isInstanceOf(ClaimResult.Claimed.class);
				assertThat(this.template.opsForHash().get(this.key, "token")).isEqualTo(token);
			}
			finally {
				proxied.destroy();
			}
		}
	}

}
