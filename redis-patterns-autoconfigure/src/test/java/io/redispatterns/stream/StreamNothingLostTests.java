package io.redispatterns.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.redispatterns.stream.internal.StreamListenerContainer;
import io.redispatterns.stream.internal.StreamListenerRegistry;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three instances consume one group; one of them crashes mid-run (its consumers stop without acknowledging
 * anything in flight). The others take over its pending entries, so every event is handled or dead-lettered.
 */
class StreamNothingLostTests {

	static final int EVENTS = 10_000;

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	/** Event number to how many times it was handled (across instances). */
	static final Map<Integer, AtomicInteger> handled = new ConcurrentHashMap<>();

	static final AtomicInteger total = new AtomicInteger();

	static final java.util.concurrent.CountDownLatch published = new java.util.concurrent.CountDownLatch(1);

	record Event(int number) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Consumer {

		@Bean
		Object eventListener() {
			return new Object() {
				@RedisStreamListener(stream = "events", group = "workers", concurrency = 4, maxDeliveries = 5)
				void on(Event event) throws InterruptedException {
					published.await();
					if (event.number() % 1000 == 999) {
						throw new IllegalStateException("event " + event.number() + " always fails");
					}
					Thread.sleep(1);
					handled.computeIfAbsent(event.number(), (n) -> new AtomicInteger()).incrementAndGet();
					total.incrementAndGet();
				}
			};
		}

	}

	@Test
	void everyEventIsHandledOrDeadLetteredWhenOneOfThreeInstancesCrashes() throws InterruptedException {
		redis.flushAll();
		String[] settings = { "redis-patterns.stream.claim-idle=500ms", "redis-patterns.stream.max-length=0" };
		List<ConfigurableApplicationContext> contexts = new ArrayList<>();
		long start = System.nanoTime();
		try {
			for (int i = 0; i < 3; i++) {
				contexts.add(StreamContexts.start(redis, Consumer.class, settings));
			}
			StreamPublisher publisher = contexts.get(0).getBean(StreamPublisher.class);
			StreamDeadLetters deadLetters = contexts.get(0).getBean(StreamDeadLetters.class);
			// handlers wait until every event is published, so all three instances work through a backlog
			for (int i = 0; i < EVENTS; i++) {
				publisher.publish("events", new Event(i));
			}
			published.countDown();
			await().atMost(Duration.ofSeconds(30)).until(() -> total.get() >= EVENTS / 4);
			// crash: stop reading and handling at once, acknowledge nothing that is in flight
			ConfigurableApplicationContext crashed = contexts.remove(2);
			StreamListenerContainer container = crashed.getBean(StreamListenerRegistry.class).containers().get(0);
			container.abort();
			String consumer = container.settings().consumer();
			String streamKey = crashed.getBean(io.redispatterns.stream.internal.StreamKeys.class).stream("events");
			long orphaned = redis.dataNodes()
				.get(0)
				.execute((commands) -> commands.xpending(streamKey, "workers").getConsumerMessageCount())
				.getOrDefault(consumer, 0L);
			System.out.printf("crashed one instance after %d handled, leaving %d entries pending on it%n",
					total.get(), orphaned);
			crashed.close();
			assertThat(orphaned).isPositive();
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
				Set<Integer> distinct = new java.util.HashSet<>(handled.keySet());
				deadLetteredNumbers(deadLetters).forEach(distinct::add);
				return distinct.size() == EVENTS;
			});
			Set<Integer> dead = deadLetteredNumbers(deadLetters);
			Set<Integer> all = new java.util.HashSet<>(handled.keySet());
			all.addAll(dead);
			long duplicates = handled.values().stream().mapToInt(AtomicInteger::get).filter((n) -> n > 1).count();
			long extraDeliveries = handled.values().stream().mapToInt((n) -> n.get() - 1).sum();
			System.out.printf(
					"nothing-lost: %d events, %d distinct handled, %d dead-lettered, %d distinct total, %d events handled more than once (%d extra handler runs), %d ms%n",
					EVENTS, handled.size(), dead.size(), all.size(), duplicates, extraDeliveries,
					(System.nanoTime() - start) / 1_000_000);
			assertThat(all).hasSize(EVENTS);
			assertThat(dead).hasSize(EVENTS / 1000)
				.allSatisfy((number) -> assertThat(number % 1000).isEqualTo(999));
			assertThat(handled.keySet()).doesNotContainAnyElementsOf(dead);
		}
		finally {
			contexts.forEach(ConfigurableApplicationContext::close);
		}
	}

	private static Set<Integer> deadLetteredNumbers(StreamDeadLetters deadLetters) {
		return deadLetters.list("events", 100_000)
			.stream()
			.map((letter) -> Integer.valueOf(letter.payload().replaceAll("\\D", "")))
			.collect(Collectors.toSet());
	}

}
