package io.redispatterns.stream;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.models.stream.PendingMessage;
import io.redispatterns.stream.internal.StreamKeys;
import io.redispatterns.stream.internal.StreamListenerContainer;
import io.redispatterns.stream.internal.StreamListenerRegistry;
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
 * A backlog consumed by a fast handler on workers (concurrency 8) is read ahead: the next reads are sent before the
 * current batch is handled. Entries of a read sent ahead are delivered to this consumer as soon as Redis executes
 * it, so a pause, a stop and a crash must treat them as read: a pause takes effect only once they are handled and
 * acknowledged; after a crash exactly the entries not acknowledged are delivered again, and nothing is lost.
 */
class StreamReadAheadTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static final Duration WAIT = Duration.ofSeconds(60);

	static final int ENTRIES = 2_000;

	/** Payload to the attempts it was handled with. */
	static final Map<String, List<Integer>> handled = new ConcurrentHashMap<>();

	static final AtomicInteger count = new AtomicInteger();

	/** After this many entries the handler asks its own listener to pause (0: never). */
	static volatile int pauseAfter;

	static volatile StreamListenerHandle self;

	/** The payload whose first delivery blocks until the container is aborted ({@code null}: none). */
	static volatile String blockOn;

	static volatile CountDownLatch blocked = new CountDownLatch(1);

	@BeforeEach
	void clean() {
		redis.flushAll();
		handled.clear();
		count.set(0);
		pauseAfter = 0;
		self = null;
		blockOn = null;
		blocked = new CountDownLatch(1);
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		Object fast() {
			return new Object() {
				@RedisStreamListener(stream = "ahead", group = "g", id = "ahead", concurrency = 8,
						autoStartup = "false")
				void on(String payload, StreamDelivery delivery) throws InterruptedException {
					if (payload.equals(blockOn) && delivery.attempt() == 1) {
						blocked.countDown();
						// until the container is aborted (which interrupts it)
						new CountDownLatch(1).await(60, TimeUnit.SECONDS);
					}
					handled.computeIfAbsent(payload, (p) -> new CopyOnWriteArrayList<>()).add(delivery.attempt());
					if (count.incrementAndGet() == pauseAfter) {
						self.pause();
					}
				}
			};
		}

	}

	@Test
	void aPauseTakesEffectOnceEveryEntryReadAheadIsHandledAndAcknowledged() {
		try (ConfigurableApplicationContext context = StreamContexts.start(redis, Listeners.class,
				"redis-patterns.stream.batch-size=10")) {
			publish(context, ENTRIES);
			StreamListenerHandle listener = context.getBean(StreamListeners.class).get("ahead");
			self = listener;
			pauseAfter = 300;
			listener.start();
			await().atMost(WAIT).until(listener::isPaused);
			// acknowledged on the way into the pause: nothing delivered to this consumer is left pending, so every
			// entry the group delivered (reads sent ahead included) has been handled
			await().atMost(WAIT).until(() -> pending(context).size() == 0);
			assertThat(handled).hasSize((int) entriesRead(context));
			assertThat(handled.size()).isLessThan(ENTRIES);
			listener.resume();
			await().atMost(WAIT).until(() -> handled.size() == ENTRIES && pending(context).isEmpty());
			assertThat(handled.values()).allSatisfy((attempts) -> assertThat(attempts).containsExactly(1));
		}
	}

	@Test
	void aCrashWhileReadingAheadDeliversExactlyTheEntriesNotAcknowledgedAgain() {
		String[] settings = { "redis-patterns.stream.batch-size=10", "redis-patterns.stream.consumer-name=c1" };
		String key;
		try (ConfigurableApplicationContext crashed = StreamContexts.start(redis, Listeners.class, settings)) {
			key = key(crashed);
			publish(crashed, ENTRIES);
			blockOn = "entry-300";
			crashed.getBean(StreamListeners.class).get("ahead").start();
			await().atMost(WAIT).until(() -> blocked.getCount() == 0);
			StreamListenerContainer container = crashed.getBean(StreamListenerRegistry.class).containers().get(0);
			container.abort();
		}
		// taken once the crashed instance is gone (a read it sent just before is executed by then)
		Set<String> pendingAtCrash = new HashSet<>();
		for (PendingMessage message : pending(key)) {
			pendingAtCrash.add(message.getId());
		}
		assertThat(pendingAtCrash).isNotEmpty();
		try (ConfigurableApplicationContext restarted = StreamContexts.start(redis, Listeners.class, settings)) {
			Map<String, String> payloads = payloadsById(key);
			restarted.getBean(StreamListeners.class).get("ahead").start();
			// nothing lost: an entry acknowledged without being handled would never be handled
			await().atMost(WAIT).until(() -> handled.size() == ENTRIES && pending(key).isEmpty());
			payloads.forEach((id, payload) -> {
				List<Integer> attempts = handled.get(payload);
				if (pendingAtCrash.contains(id)) {
					// delivered and not acknowledged before the crash (handled, running or read ahead): again
					assertThat(attempts).as(payload).contains(2);
				}
				else {
					// acknowledged before the crash, or never delivered before it: exactly one delivery
					assertThat(attempts).as(payload).containsExactly(1);
				}
			});
		}
	}

	private static void publish(ConfigurableApplicationContext context, int entries) {
		StreamPublisher publisher = context.getBean(StreamPublisher.class);
		for (int i = 0; i < entries; i++) {
			publisher.publish("ahead", "entry-" + i);
		}
	}

	private static String key(ConfigurableApplicationContext context) {
		return context.getBean(StreamKeys.class).stream("ahead");
	}

	private static List<PendingMessage> pending(ConfigurableApplicationContext context) {
		return pending(key(context));
	}

	private static List<PendingMessage> pending(String key) {
		return redis.dataNodes()
			.get(0)
			.execute((commands) -> commands.xpending(key, "g", Range.create("-", "+"), Limit.from(ENTRIES)));
	}

	/** The group's {@code entries-read}: how many entries it has delivered. */
	private static long entriesRead(ConfigurableApplicationContext context) {
		String key = key(context);
		List<Object> groups = redis.dataNodes().get(0).execute((commands) -> commands.xinfoGroups(key));
		List<?> group = (List<?>) groups.get(0);
		for (int i = 0; i + 1 < group.size(); i += 2) {
			if ("entries-read".equals(String.valueOf(group.get(i)))) {
				return ((Number) group.get(i + 1)).longValue();
			}
		}
		throw new IllegalStateException("no entries-read in " + group);
	}

	private static Map<String, String> payloadsById(String key) {
		Map<String, String> payloads = new ConcurrentHashMap<>();
		redis.dataNodes()
			.get(0)
			.commands((commands) -> commands.xrange(key, Range.create("-", "+"))
				.forEach((message) -> payloads.put(message.getId(),
						message.getBody().get(StreamHeaders.PAYLOAD).replace("\"", ""))));
		return payloads;
	}

}
