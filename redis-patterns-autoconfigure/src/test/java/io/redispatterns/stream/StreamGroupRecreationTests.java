package io.redispatterns.stream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.lettuce.core.StreamMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.stream.internal.StreamKeys;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consumer group that vanishes while its container runs — Redis restarted without persistence, {@code FLUSHALL},
 * {@code XGROUP DESTROY} — is created again so that every entry published after the loss is handled. The
 * listener's application reaches Redis through a proxy that refuses connections while the group is lost and the
 * second batch is published (by another application connected directly), so the container always comes back after
 * that batch was written: re-creating the group at {@code $} would skip all of it.
 */
class StreamGroupRecreationTests {

	static final String STREAM = "recreated";

	static final Set<String> handled = ConcurrentHashMap.newKeySet();

	static StandaloneRedis redis;

	record Event(String name) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		Object recreatedListener() {
			return new Object() {
				@RedisStreamListener(stream = STREAM, group = "g", startFrom = "latest")
				void on(Event event) {
					handled.add(event.name());
				}
			};
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoListeners {

	}

	@BeforeAll
	static void startRedis() {
		redis = EmbeddedRedis.startStandaloneServer(0);
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@BeforeEach
	void clean() {
		redis.flushAll();
		handled.clear();
	}

	@Test
	void everyEntryPublishedAfterARestartWithoutPersistenceIsHandled() {
		runAcrossLoss(redis.node()::restart, (publisher) -> publishBatch(publisher, "after", 30));
	}

	@Test
	void everyEntryPublishedAfterFlushAllIsHandled() {
		runAcrossLoss(redis::flushAll, (publisher) -> publishBatch(publisher, "after", 30));
	}

	@Test
	void everyEntryPublishedAfterTheGroupWasDestroyedIsHandled() {
		runAcrossLoss(
				() -> redis.node().commands((commands) -> commands.xgroupDestroy(streamKey(), "g")),
				(publisher) -> publishBatch(publisher, "after", 30));
	}

	@Test
	void aNewStreamWhoseIdsAreBelowTheRememberedOnesIsReadFromTheStart() {
		// the stream comes back with ids from a clock far behind the one that wrote the first batch
		Map<String, String> template = new java.util.HashMap<>();
		runAcrossLoss(() -> {
			List<StreamMessage<String, String>> first = redis.node()
				.execute((commands) -> commands.xrange(streamKey(), io.lettuce.core.Range.create("-", "+")));
			template.putAll(first.get(0).getBody());
			redis.flushAll();
		}, (publisher) -> {
			for (int i = 0; i < 30; i++) {
				Map<String, String> fields = new java.util.LinkedHashMap<>(template);
				fields.put(StreamHeaders.PAYLOAD, "{\"name\":\"after-" + i + "\"}");
				fields.put(StreamHeaders.MESSAGE_ID, "skewed-" + i);
				String id = (i + 1) + "-0";
				redis.node()
					.commands((commands) -> commands.xadd(streamKey(), new io.lettuce.core.XAddArgs().id(id),
							fields));
			}
		});
	}

	/**
	 * Publishes a first batch and waits until it is handled, cuts the listener's connection, applies the loss and
	 * publishes a second batch while the listener cannot reconnect, then lets it reconnect and expects every entry
	 * of the second batch to be handled and the re-creation counted once.
	 */
	private void runAcrossLoss(Runnable loss, java.util.function.Consumer<StreamPublisher> secondBatch) {
		try (RedisProxy proxy = RedisProxy.start(redis.node());
				ConfigurableApplicationContext listener = StreamContexts.start(proxy.connectionDetails(),
						Listeners.class, "redis-patterns.stream.reconnect.max=200ms");
				ConfigurableApplicationContext publisherApp = StreamContexts.start(redis, NoListeners.class)) {
			StreamPublisher publisher = publisherApp.getBean(StreamPublisher.class);
			MeterRegistry registry = listener.getBean(MeterRegistry.class);
			// the first creation is at $: wait for the group before publishing
			await().atMost(Duration.ofSeconds(20)).until(() -> groupExists());
			publishBatch(publisher, "before", 10);
			await().atMost(Duration.ofSeconds(20)).until(() -> handled.containsAll(names("before", 10)));
			assertThat(registry.get("redis.patterns.stream.group.recreations").counter().count()).isZero();

			proxy.refuse(true);
			loss.run();
			secondBatch.accept(publisher);
			proxy.refuse(false);

			await().atMost(Duration.ofSeconds(30)).until(() -> handled.containsAll(names("after", 30)));
			assertThat(registry.get("redis.patterns.stream.group.recreations")
				.tags("stream", STREAM, "group", "g")
				.counter()
				.count()).isEqualTo(1);
		}
	}

	/** Publishes each event, retrying while the publisher's own connection comes back after a restart. */
	private static void publishBatch(StreamPublisher publisher, String name, int count) {
		for (int i = 0; i < count; i++) {
			Event event = new Event(name + "-" + i);
			await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
				publisher.publish(STREAM, event);
				return true;
			});
		}
	}

	private static Set<String> names(String name, int count) {
		return IntStream.range(0, count).mapToObj((i) -> name + "-" + i).collect(Collectors.toSet());
	}

	private static boolean groupExists() {
		return redis.node().execute((commands) -> commands.exists(streamKey()) == 1
				&& commands.xinfoGroups(streamKey()).size() == 1);
	}

	private static String streamKey() {
		return new StreamKeys(new io.redispatterns.core.RedisKeys("t"), "dlq").stream(STREAM);
	}

}
