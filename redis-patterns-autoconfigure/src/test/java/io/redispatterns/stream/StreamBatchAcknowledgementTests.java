package io.redispatterns.stream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.redispatterns.stream.internal.StreamKeys;
import io.redispatterns.stream.internal.StreamListenerContainer;
import io.redispatterns.stream.internal.StreamListenerRegistry;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listeners read a batch with one {@code XREADGROUP} and acknowledge the handled entries of a batch with one
 * {@code XACK}; with concurrency 1 the handler runs on the reading thread. At-least-once holds: an entry is
 * acknowledged only after its handler returned, and a crash before the batch's acknowledgement leaves the handled
 * entries pending, so they are delivered again.
 */
class StreamBatchAcknowledgementTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static final Duration WAIT = Duration.ofSeconds(30);

	/** Payload to the attempts it was handled with, in order. */
	static final Map<String, List<Integer>> handled = new ConcurrentHashMap<>();

	static final Set<String> threads = ConcurrentHashMap.newKeySet();

	/** The payload whose handler blocks until the test crashes the container ({@code null}: none). */
	static volatile String blockOn;

	static volatile CountDownLatch blocked = new CountDownLatch(1);

	@BeforeEach
	void clean() {
		redis.flushAll();
		handled.clear();
		threads.clear();
		blockOn = null;
		blocked = new CountDownLatch(1);
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		Object single() {
			return new Object() {
				@RedisStreamListener(stream = "single", group = "g", id = "single", concurrency = 1,
						autoStartup = "false")
				void on(String payload, StreamDelivery delivery) throws InterruptedException {
					record(payload, delivery);
				}
			};
		}

		@Bean
		Object workers() {
			return new Object() {
				@RedisStreamListener(stream = "workers", group = "g", id = "workers", concurrency = 4,
						autoStartup = "false")
				void on(String payload, StreamDelivery delivery) throws InterruptedException {
					record(payload, delivery);
				}
			};
		}

		private static void record(String payload, StreamDelivery delivery) throws InterruptedException {
			threads.add(Thread.currentThread().getName());
			if (payload.equals(blockOn) && delivery.attempt() == 1) {
				blocked.countDown();
				// until the container is aborted (which interrupts it)
				new CountDownLatch(1).await(60, TimeUnit.SECONDS);
			}
			handled.computeIfAbsent(payload, (p) -> new java.util.concurrent.CopyOnWriteArrayList<>())
				.add(delivery.attempt());
		}

	}

	@Test
	void aBacklogIsReadAndAcknowledgedInBatchesOnTheReadingThread() {
		try (ConfigurableApplicationContext context = StreamContexts.start(redis, Listeners.class,
				"redis-patterns.stream.batch-size=50")) {
			publish(context, "single", 200);
			CommandCalls before = CommandCalls.of(redis.dataNodes().get(0));
			context.getBean(StreamListeners.class).get("single").start();
			await().atMost(WAIT).until(() -> handled.size() == 200 && pending(context, "single") == 0);
			CommandCalls calls = CommandCalls.of(redis.dataNodes().get(0)).since(before);
			// four full batches of 50: one XACK each
			assertThat(calls.asMap().get("xack")).isEqualTo(4L);
			assertThat(threads).containsExactly("stream-single-g");
			assertThat(handled.values()).allSatisfy((attempts) -> assertThat(attempts).containsExactly(1));
		}
	}

	@Test
	void workersAcknowledgeInBatchesToo() {
		try (ConfigurableApplicationContext context = StreamContexts.start(redis, Listeners.class,
				"redis-patterns.stream.batch-size=50")) {
			publish(context, "workers", 200);
			CommandCalls before = CommandCalls.of(redis.dataNodes().get(0));
			context.getBean(StreamListeners.class).get("workers").start();
			await().atMost(WAIT).until(() -> handled.size() == 200 && pending(context, "workers") == 0);
			CommandCalls calls = CommandCalls.of(redis.dataNodes().get(0)).since(before);
			assertThat(calls.asMap().get("xack")).isLessThan(100L);
			assertThat(threads).allSatisfy((name) -> assertThat(name).startsWith("stream-workers-g-worker-"));
		}
	}

	@Test
	void aCrashBeforeTheBatchedAcknowledgementRedeliversTheEntriesAlreadyHandled() {
		String[] settings = { "redis-patterns.stream.batch-size=10", "redis-patterns.stream.consumer-name=c1" };
		try (ConfigurableApplicationContext crashed = StreamContexts.start(redis, Listeners.class, settings)) {
			publish(crashed, "single", 10);
			blockOn = "entry-4";
			crashed.getBean(StreamListeners.class).get("single").start();
			await().atMost(WAIT).until(() -> blocked.getCount() == 0);
			// entries 0 to 3 were handled; the batch is not acknowledged before its last entry is handled
			assertThat(handled).containsOnlyKeys("entry-0", "entry-1", "entry-2", "entry-3");
			assertThat(pending(crashed, "single")).isEqualTo(10);
			StreamListenerContainer container = crashed.getBean(StreamListenerRegistry.class)
				.containers()
				.stream()
				.filter((c) -> c.settings().stream().equals("single"))
				.findFirst()
				.orElseThrow();
			container.abort();
			assertThat(pending(crashed, "single")).isEqualTo(10);
		}
		// the instance comes back under the same consumer name: its pending entries are delivered again
		try (ConfigurableApplicationContext restarted = StreamContexts.start(redis, Listeners.class, settings)) {
			restarted.getBean(StreamListeners.class).get("single").start();
			await().atMost(WAIT).until(() -> handled.size() == 10 && pending(restarted, "single") == 0);
			for (int i = 0; i < 4; i++) {
				assertThat(handled.get("entry-" + i)).as("entry-" + i).containsExactly(1, 2);
			}
			assertThat(handled.get("entry-4")).containsExactly(2);
			for (int i = 5; i < 10; i++) {
				assertThat(handled.get("entry-" + i)).as("entry-" + i).containsExactly(2);
			}
		}
	}

	private static void publish(ConfigurableApplicationContext context, String stream, int count) {
		StreamPublisher publisher = context.getBean(StreamPublisher.class);
		for (int i = 0; i < count; i++) {
			publisher.publish(stream, "entry-" + i);
		}
	}

	private static long pending(ConfigurableApplicationContext context, String stream) {
		String key = context.getBean(StreamKeys.class).stream(stream);
		return redis.dataNodes().get(0).execute((commands) -> {
			if (commands.exists(key) == 0) {
				return -1L;
			}
			return commands.xpending(key, "g").getCount();
		});
	}

}
