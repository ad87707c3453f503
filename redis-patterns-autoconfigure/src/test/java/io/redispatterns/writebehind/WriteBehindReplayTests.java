package io.redispatterns.writebehind;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.writebehind.internal.WriteBehindKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Commands whose reply is lost and that Lettuce re-sends after reconnecting are applied once: an increment
 * is not counted twice, and a flush cycle (take, acknowledge) interrupted that way persists every item once.
 */
class WriteBehindReplayTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static InMemoryDatabase database = new InMemoryDatabase();

	@Configuration(proxyBeanMethods = false)
	static class NoFlushers {

	}

	@Configuration(proxyBeanMethods = false)
	static class Flusher {

		@Bean
		Object replayFlusher() {
			return new Object() {
				@WriteBehindFlush(buffer = "replayflush", every = "100ms")
				void persist(WriteBehindBatch<Long> batch) {
					database.add(batch);
				}
			};
		}

	}

	@BeforeEach
	void reset() {
		redis.flushAll();
		database = new InMemoryDatabase();
	}

	@Test
	void anIncrementReSentAfterItsReplyWasLostIsCountedOnce() {
		try (RedisProxy proxy = RedisProxy.start(redis.dataNodes().get(0));
				ConfigurableApplicationContext context = WriteBehindContexts.start(proxy.connectionDetails(),
						NoFlushers.class)) {
			WriteBehind<Long> buffer = context.getBean(WriteBehinds.class).buffer("replayed", Long.class);
			// loads the script, so the faulted command is the increment itself
			buffer.increment("warm-up", 1);
			proxy.dropReplyOnce("replaykey", RedisProxy.Close.FIN);

			buffer.increment("replaykey", 1);

			assertThat(proxy.forwardedCount("replaykey")).as("the increment ran twice").isEqualTo(2);
			String pending = context.getBean(StringRedisTemplate.class)
				.<String, String>opsForHash()
				.get(context.getBean(WriteBehindKeys.class).pending("replayed"), "replaykey");
			assertThat(pending).isEqualTo("1");
		}
	}

	@Test
	void aFlushCycleWhoseReplyWasLostPersistsEveryItemOnce() {
		try (RedisProxy proxy = RedisProxy.start(redis.dataNodes().get(0));
				ConfigurableApplicationContext context = WriteBehindContexts.start(proxy.connectionDetails(),
						Flusher.class)) {
			WriteBehind<Long> buffer = context.getBean(WriteBehinds.class).buffer("replayflush", Long.class);
			buffer.increment("warm-up", 1);
			await().atMost(Duration.ofSeconds(20)).until(() -> database.sum() == 1);
			List<String> keys = new CopyOnWriteArrayList<>();
			for (int i = 0; i < 10; i++) {
				buffer.increment("k" + i, i);
				keys.add("k" + i);
			}
			// the next command of the buffer after the writes is the flusher's (a take, or its acknowledgement)
			proxy.dropReplyOnce("replayflush", RedisProxy.Close.FIN);
			await().atMost(Duration.ofSeconds(20)).until(() -> database.sum() == 46 && buffer.backlog() == 0);
			assertThat(proxy.dropFired()).isTrue();
			assertThat(database.deliveries()).doesNotHaveDuplicates();
			for (int i = 0; i < 10; i++) {
				assertThat(database.total("k" + i)).isEqualTo(i);
			}
		}
	}

}
