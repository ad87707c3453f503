package io.redispatterns.stream;

import java.util.List;
import java.util.Map;

import io.lettuce.core.StreamMessage;
import io.redispatterns.core.RedisOutcomeUnknownException;
import io.redispatterns.core.RedisUnavailableException;
import io.redispatterns.stream.internal.StreamKeys;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link StreamPublisher#publish} through a proxy that drops replies and refuses connections: a plain publish that
 * Lettuce re-sends after a lost reply is appended twice (with one message id), a replay-safe or keyed one once; a
 * lost reply is reported as an unknown outcome, and an unreachable Redis as unavailable.
 */
class StreamPublishFaultTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	record Note(String text) {
	}

	@Configuration(proxyBeanMethods = false)
	static class NoListeners {

	}

	@BeforeEach
	void clean() {
		redis.flushAll();
	}

	@Test
	void aPlainPublishReSentAfterItsReplyWasLostAppendsTwoEntriesWithOneMessageId() {
		try (RedisProxy proxy = RedisProxy.start(redis.dataNodes().get(0));
				ConfigurableApplicationContext context = StreamContexts.start(proxy.connectionDetails(),
						NoListeners.class)) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publisher.publish("notes", new Note("warm-up"));
			proxy.dropReplyOnce("replayed-note", RedisProxy.Close.FIN);
			String id = publisher.publish("notes", new Note("replayed-note"));
			assertThat(proxy.dropFired()).isTrue();
			assertThat(proxy.forwardedCount("replayed-note")).isEqualTo(2);
			// at-least-once publishing: the re-sent XADD appended the message again, under the same id header
			List<StreamMessage<String, String>> entries = redis.dataNodes()
				.get(0)
				.execute((commands) -> commands.xrange(streamKey(context), io.lettuce.core.Range.create("-", "+")));
			assertThat(entries).hasSize(3);
			assertThat(entries.get(1).getBody().get(StreamHeaders.PAYLOAD)).contains("replayed-note");
			assertThat(entries.get(2).getBody()).isEqualTo(entries.get(1).getBody());
			assertThat(entries.get(1).getBody().get(StreamHeaders.MESSAGE_ID)).isNotBlank();
			assertThat(id).isEqualTo(entries.get(2).getId());
		}
	}

	@Test
	void aReplaySafePublishReSentAfterItsReplyWasLostAppendsOneEntry() {
		try (RedisProxy proxy = RedisProxy.start(redis.dataNodes().get(0));
				ConfigurableApplicationContext context = StreamContexts.start(proxy.connectionDetails(),
						NoListeners.class, "redis-patterns.stream.replay-safe-publish=true")) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publisher.publish("notes", new Note("warm-up"));
			proxy.dropReplyOnce("replayed-note", RedisProxy.Close.FIN);
			String id = publisher.publish("notes", new Note("replayed-note"));
			assertThat(proxy.dropFired()).isTrue();
			assertThat(proxy.forwardedCount("replayed-note")).isEqualTo(2);
			assertThat(length(context)).isEqualTo(2);
			assertThat(id).isEqualTo(lastId(context));
		}
	}

	@Test
	void aPlainPublishIsOneXadd() {
		try (ConfigurableApplicationContext context = StreamContexts.start(redis, NoListeners.class)) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publisher.publish("notes", new Note("warm-up"));
			CommandCalls before = CommandCalls.of(redis.dataNodes().get(0));
			publisher.publish("notes", new Note("counted"));
			CommandCalls calls = CommandCalls.of(redis.dataNodes().get(0)).since(before).without("info");
			assertThat(calls.asMap()).containsExactly(Map.entry("xadd", 1L));
		}
	}

	@Test
	void aPublishWithTheCallersKeyReSentAfterItsReplyWasLostAppendsOneEntry() {
		try (RedisProxy proxy = RedisProxy.start(redis.dataNodes().get(0));
				ConfigurableApplicationContext context = StreamContexts.start(proxy.connectionDetails(),
						NoListeners.class)) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publisher.publish("notes", new Note("warm-up"));
			proxy.dropReplyOnce("keyed-note", RedisProxy.Close.FIN);
			publisher.publish("notes", new Note("keyed-note"), PublishOptions.none().withIdempotencyKey("order-7"));
			assertThat(proxy.forwardedCount("keyed-note")).isEqualTo(2);
			assertThat(length(context)).isEqualTo(2);
		}
	}

	@Test
	void aLostReplyIsAnUnknownOutcomeAndARetryWithTheSameKeyAppendsNothing() {
		try (RedisProxy proxy = RedisProxy.start(redis.dataNodes().get(0));
				ConfigurableApplicationContext context = StreamContexts.start(proxy.connectionDetails(),
						NoListeners.class)) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publisher.publish("notes", new Note("warm-up"));
			PublishOptions keyed = PublishOptions.none().withIdempotencyKey("order-8");
			proxy.dropReplyOnce("reset-note", RedisProxy.Close.RST);
			assertThatExceptionOfType(RedisOutcomeUnknownException.class)
				.isThrownBy(() -> publisher.publish("notes", new Note("reset-note"), keyed))
				.withMessageContaining("notes");
			// it was applied: the retry the exception invites finds the key and writes nothing
			assertThat(length(context)).isEqualTo(2);
			String id = publisher.publish("notes", new Note("reset-note"), keyed);
			assertThat(id).isEqualTo(lastId(context));
			assertThat(length(context)).isEqualTo(2);
		}
	}

	@Test
	void anUnreachableRedisIsUnavailableAndNothingIsWritten() {
		try (RedisProxy proxy = RedisProxy.start(redis.dataNodes().get(0))) {
			proxy.refuse(true);
			try (ConfigurableApplicationContext context = StreamContexts.start(proxy.connectionDetails(),
					NoListeners.class)) {
				StreamPublisher publisher = context.getBean(StreamPublisher.class);
				assertThatExceptionOfType(RedisUnavailableException.class)
					.isThrownBy(() -> publisher.publish("notes", new Note("refused")))
					.withMessageContaining("notes");
				long streams = redis.dataNodes().get(0).execute((commands) -> commands.exists(streamKey(context)));
				assertThat(streams).isZero();
			}
		}
	}

	private static long length(ConfigurableApplicationContext context) {
		return redis.dataNodes().get(0).execute((commands) -> commands.xlen(streamKey(context)));
	}

	private static String lastId(ConfigurableApplicationContext context) {
		return redis.dataNodes()
			.get(0)
			.execute((commands) -> commands.xrevrange(streamKey(context), io.lettuce.core.Range.create("-", "+"),
					io.lettuce.core.Limit.from(1)))
			.get(0)
			.getId();
	}

	private static String streamKey(ConfigurableApplicationContext context) {
		return context.getBean(StreamKeys.class).stream("notes");
	}

	@Test
	void aDeadLetterReplayReSentAfterItsReplyWasLostMovesTheOldestOnlyOnce() {
		try (RedisProxy proxy = RedisProxy.start(redis.dataNodes().get(0));
				ConfigurableApplicationContext context = StreamContexts.start(proxy.connectionDetails(),
						NoListeners.class)) {
			String deadLetters = context.getBean(StreamKeys.class).deadLetters("parked");
			for (int i = 0; i < 4; i++) {
				String text = "parked-" + i;
				redis.dataNodes()
					.get(0)
					.commands((commands) -> commands.xadd(deadLetters, StreamHeaders.PAYLOAD,
							"{\"text\":\"" + text + "\"}", "dlq-group", "g"));
			}
			StreamDeadLetters operations = context.getBean(StreamDeadLetters.class);
			assertThat(operations.size("parked")).isEqualTo(4);
			// loads the script first: otherwise the re-sent EVALSHA may meet NOSCRIPT and a third send (EVAL) follows
			assertThat(operations.replay("empty", 1)).isZero();
			proxy.dropReplyOnce(deadLetters, RedisProxy.Close.FIN);
			long moved = operations.replay("parked", 2);
			assertThat(proxy.forwardedCount(deadLetters)).isEqualTo(2);
			assertThat(moved).isEqualTo(2);
			assertThat(operations.size("parked")).isEqualTo(2);
		}
	}

}
