package io.redispatterns.stream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.stream.internal.StreamKeys;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class StreamListenerTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	record Order(String id, int amount) {
	}

	@BeforeEach
	void clean() {
		redis.flushAll();
	}

	static final List<Integer> failingAttempts = new CopyOnWriteArrayList<>();

	@Configuration(proxyBeanMethods = false)
	static class AlwaysFailing {

		@Bean
		Object failingListener() {
			return new Object() {
				@RedisStreamListener(stream = "fail", group = "g", maxDeliveries = 3)
				void on(Order order, StreamDelivery delivery) {
					failingAttempts.add(delivery.attempt());
					throw new IllegalStateException("always fails: " + order.id());
				}
			};
		}

	}

	@Test
	void handlerThatAlwaysFailsIsDeadLetteredAfterExactlyMaxDeliveriesAndReplayMovesItBack() {
		failingAttempts.clear();
		try (ConfigurableApplicationContext context = StreamContexts.start(redis, AlwaysFailing.class)) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			StreamDeadLetters deadLetters = context.getBean(StreamDeadLetters.class);
			String id = publisher.publish("fail", new Order("o-1", 5));
			await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.size("fail") == 1);
			assertThat(failingAttempts).containsExactly(1, 2, 3);
			DeadLetter letter = deadLetters.list("fail", 10).get(0);
			assertThat(letter.originalId()).isEqualTo(id);
			assertThat(letter.attempts()).isEqualTo(3);
			assertThat(letter.group()).isEqualTo("g");
			assertThat(letter.error()).contains("always fails: o-1");
			assertThat(letter.payload()).contains("\"o-1\"");
			assertThat(letter.headers()).containsEntry("type", Order.class.getName()).containsKey("published-at");
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String streamKey = context.getBean(StreamKeys.class).stream("fail");
			assertThat(template.opsForStream().pending(streamKey, "g").getTotalPendingMessages()).isZero();
			assertThat(context.getBean(StreamKeys.class).deadLetters("fail")).isEqualTo(streamKey + ":dlq");

			failingAttempts.clear();
			assertThat(deadLetters.replay("fail", 10)).isEqualTo(1);
			assertThat(deadLetters.size("fail")).isZero();
			await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.size("fail") == 1);
			assertThat(failingAttempts).containsExactly(1, 2, 3);
			assertThat(deadLetters.purge("fail")).isEqualTo(1);
			assertThat(deadLetters.size("fail")).isZero();
		}
	}

	static final Set<String> poisonHandled = ConcurrentHashMap.newKeySet();

	@Configuration(proxyBeanMethods = false)
	static class PoisonAware {

		@Bean
		Object orderListener() {
			return new Object() {
				@RedisStreamListener(stream = "poison", group = "g", concurrency = 2)
				void on(@org.springframework.messaging.handler.annotation.Payload Order order,
						@StreamHeader("type") String type,
						@org.springframework.messaging.handler.annotation.Header("published-at") String publishedAt) {
					assertThat(type).isEqualTo(Order.class.getName());
					assertThat(publishedAt).isNotBlank();
					poisonHandled.add(order.id());
				}
			};
		}

	}

	@Test
	void poisonJsonIsDeadLetteredWithTheReasonWhileOtherEntriesKeepFlowing() {
		poisonHandled.clear();
		try (ConfigurableApplicationContext context = StreamContexts.start(redis, PoisonAware.class)) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String streamKey = context.getBean(StreamKeys.class).stream("poison");
			publisher.publish("poison", new Order("a", 1));
			template.opsForStream().add(streamKey, Map.of("payload", "{not json", "type", Order.class.getName()));
			publisher.publish("poison", new Order("b", 2));
			StreamDeadLetters deadLetters = context.getBean(StreamDeadLetters.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> poisonHandled.size() == 2 && deadLetters.size("poison") == 1);
			assertThat(poisonHandled).containsExactlyInAnyOrder("a", "b");
			DeadLetter letter = deadLetters.list("poison", 10).get(0);
			assertThat(letter.error()).startsWith("Payload could not be decoded");
			assertThat(letter.attempts()).isEqualTo(1);
			assertThat(letter.payload()).isEqualTo("{not json");
		}
	}

	static final CountDownLatch slowStarted = new CountDownLatch(3);

	static final AtomicInteger slowFinished = new AtomicInteger();

	@Configuration(proxyBeanMethods = false)
	static class Slow {

		@Bean
		Object slowListener() {
			return new Object() {
				@RedisStreamListener(stream = "slow", group = "g", concurrency = 3)
				void on(Order order) throws InterruptedException {
					slowStarted.countDown();
					Thread.sleep(1500);
					slowFinished.incrementAndGet();
				}
			};
		}

	}

	@Test
	void gracefulShutdownFinishesAndAcknowledgesInFlightEntries() throws Exception {
		ConfigurableApplicationContext context = StreamContexts.start(redis, Slow.class);
		StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
		String streamKey = context.getBean(StreamKeys.class).stream("slow");
		StreamPublisher publisher = context.getBean(StreamPublisher.class);
		for (int i = 0; i < 3; i++) {
			publisher.publish("slow", new Order("s" + i, i));
		}
		assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(template.opsForStream().pending(streamKey, "g").getTotalPendingMessages()).isEqualTo(3);
		context.close();
		assertThat(slowFinished.get()).isEqualTo(3);
		long pending = redis.dataNodes().get(0).execute((commands) -> commands.xpending(streamKey, "g").getCount());
		assertThat(pending).isZero();
	}

	@Test
	void secondPublishWithTheSameIdempotencyKeyIsDroppedAndReturnsTheFirstId() {
		try (ConfigurableApplicationContext context = StreamContexts.start(redis, Base.class,
				"redis-patterns.stream.per-stream.orders.max-length=1000")) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			PublishOptions once = PublishOptions.none().withIdempotencyKey("order-42").withHeader("tenant", "acme");
			String first = publisher.publish("orders", new Order("42", 1), once);
			String second = publisher.publish("orders", new Order("42", 1), once);
			assertThat(second).isEqualTo(first);
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String streamKey = context.getBean(StreamKeys.class).stream("orders");
			assertThat(template.opsForStream().size(streamKey)).isEqualTo(1);
			Map<Object, Object> fields = template.opsForStream().range(streamKey, org.springframework.data.domain.Range.unbounded()).get(0).getValue();
			assertThat(fields).containsEntry("tenant", "acme").containsKeys("payload", "type", "id", "published-at");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Base {

	}

	static final List<String> billingCalls = new CopyOnWriteArrayList<>();

	static final List<String> auditCalls = new CopyOnWriteArrayList<>();

	@Configuration(proxyBeanMethods = false)
	static class TwoGroups {

		@Bean
		Object billingListener() {
			return new Object() {
				@RedisStreamListener(stream = "shared", group = "billing", maxDeliveries = 2)
				void on(Order order, StreamDelivery delivery) {
					billingCalls.add(order.id() + "#" + delivery.attempt());
					if (order.id().equals("bad")) {
						throw new IllegalStateException("billing rejects " + order.id());
					}
				}
			};
		}

		@Bean
		Object auditListener() {
			return new Object() {
				@RedisStreamListener(stream = "shared", group = "audit", concurrency = 1)
				void on(Order order) {
					auditCalls.add(order.id());
				}
			};
		}

	}

	@Test
	void replayedDeadLetterGoesOnlyToTheGroupThatDeadLetteredIt() {
		billingCalls.clear();
		auditCalls.clear();
		try (ConfigurableApplicationContext context = StreamContexts.start(redis, TwoGroups.class)) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			StreamDeadLetters deadLetters = context.getBean(StreamDeadLetters.class);
			publisher.publish("shared", new Order("bad", 1));
			await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.size("shared") == 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> auditCalls.contains("bad"));
			assertThat(deadLetters.list("shared", 10).get(0).group()).isEqualTo("billing");
			assertThat(deadLetters.replay("shared", 10)).isEqualTo(1);
			// audit (one worker) reads the replayed entry before this one, so once it handled "marker" it has
			// seen the replay
			publisher.publish("shared", new Order("marker", 1));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> auditCalls.contains("marker") && deadLetters.size("shared") == 1);
			assertThat(auditCalls).containsExactly("bad", "marker");
			assertThat(billingCalls).containsSubsequence("bad#1", "bad#2", "bad#1", "bad#2").contains("marker#1");
			DeadLetter again = deadLetters.list("shared", 10).get(0);
			assertThat(again.group()).isEqualTo("billing");
			assertThat(again.headers()).containsEntry(StreamHeaders.REPLAY_FOR, "billing");
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			String streamKey = context.getBean(StreamKeys.class).stream("shared");
			assertThat(template.opsForStream().pending(streamKey, "audit").getTotalPendingMessages()).isZero();
			// replay by group moves only that group's dead letters
			assertThat(deadLetters.replay("shared", "audit", 10)).isZero();
			assertThat(deadLetters.replay("shared", "billing", 10)).isEqualTo(1);
			assertThat(deadLetters.size("shared")).isZero();
		}
	}

	static final Set<String> claimedIds = ConcurrentHashMap.newKeySet();

	@Configuration(proxyBeanMethods = false)
	static class OneSlot {

		@Bean
		Object oneSlotListener() {
			return new Object() {
				@RedisStreamListener(stream = "scan", group = "g", concurrency = 1, claimIdle = "60s",
						claimInterval = "50ms")
				void on(Order order) {
					claimedIds.add(order.id());
				}
			};
		}

	}

	// @formatter:off (the script is indented with spaces)
	/**
	 * 200 entries pending for a live consumer (recently delivered) come first in the group's pending list; the 5
	 * entries of a crashed consumer (idle two minutes) come after them. With one worker slot each XAUTOCLAIM
	 * has COUNT 1 and Redis examines only about ten pending entries per call.
	 */
	private static final org.springframework.data.redis.core.script.RedisScript<Long> BUSY_THEN_DEAD = org.springframework.data.redis.core.script.RedisScript
		.of("""
				redis.call('XGROUP', 'CREATE', KEYS[1], 'g', '$', 'MKSTREAM')
				for i = 1, 200 do
				  redis.call('XADD', KEYS[1], '*', 'payload', '{"id":"busy-' .. i .. '","amount":1}')
				end
				redis.call('XREADGROUP', 'GROUP', 'g', 'busy', 'COUNT', 200, 'STREAMS', KEYS[1], '>')
				for i = 1, 5 do
				  redis.call('XADD', KEYS[1], '*', 'payload', '{"id":"dead-' .. i .. '","amount":1}')
				end
				local read = redis.call('XREADGROUP', 'GROUP', 'g', 'dead', 'COUNT', 5, 'STREAMS', KEYS[1], '>')
				for _, entry in ipairs(read[1][2]) do
				  redis.call('XCLAIM', KEYS[1], 'g', 'dead', 0, entry[1], 'IDLE', 120000, 'JUSTID')
				end
				return #read[1][2]
				""", Long.class);
	// @formatter:on

	@Test
	void idleEntriesBehindManyEntriesOfLiveConsumersAreClaimed() {
		claimedIds.clear();
		try (ConfigurableApplicationContext setup = StreamContexts.start(redis, Base.class)) {
			String streamKey = setup.getBean(StreamKeys.class).stream("scan");
			assertThat(setup.getBean(StringRedisTemplate.class).execute(BUSY_THEN_DEAD, List.of(streamKey)))
				.isEqualTo(5);
		}
		try (ConfigurableApplicationContext context = StreamContexts.start(redis, OneSlot.class)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> claimedIds.size() == 5);
			assertThat(claimedIds).containsExactlyInAnyOrder("dead-1", "dead-2", "dead-3", "dead-4", "dead-5");
		}
	}

	@Test
	void invalidStreamPropertyFailsStartUpNamingTheProperty() {
		assertThatThrownBy(() -> StreamContexts.start(redis, Base.class, "redis-patterns.stream.max-deliveries=0"))
			.satisfies((ex) -> assertThat(NestedExceptionUtils.getMostSpecificCause(ex))
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("redis-patterns.stream.max-deliveries"));
	}

	@Configuration(proxyBeanMethods = false)
	static class BadAnnotation {

		@Bean
		Object badListener() {
			return new Object() {
				@RedisStreamListener(stream = "x", group = "g", claimIdle = "soon")
				void on(Order order) {
				}
			};
		}

	}

	@Test
	void invalidAnnotationAttributeFailsStartUpNamingTheListener() {
		assertThatThrownBy(() -> StreamContexts.start(redis, BadAnnotation.class))
			.satisfies((ex) -> assertThat(NestedExceptionUtils.getMostSpecificCause(ex))
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("claimIdle"));
	}

}
