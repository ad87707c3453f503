package io.redispatterns.stream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisNode;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.SentinelRedis;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stream listeners and the dead-letter flow through Sentinel (master, replica, three Sentinels).
 */
class StreamSentinelTests {

	static final Set<String> handled = ConcurrentHashMap.newKeySet();

	record Order(String id, int amount) {
	}

	static final Set<String> events = ConcurrentHashMap.newKeySet();

	record Event(String id) {
	}

	@Configuration(proxyBeanMethods = false)
	static class FailoverListeners {

		@Bean
		Object failoverListener() {
			return new Object() {
				@RedisStreamListener(stream = "failover-events", group = "audit", startFrom = "latest")
				void on(Event event) {
					events.add(event.id());
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		Object sentinelListener() {
			return new Object() {
				@RedisStreamListener(stream = "sentinel-orders", group = "billing", maxDeliveries = 2)
				void on(Order order) {
					if (order.amount() < 0) {
						throw new IllegalArgumentException("negative amount");
					}
					handled.add(order.id());
				}
			};
		}

	}

	@Test
	void listenerAndDeadLetterFlowWorkThroughSentinel() {
		RedisDeployment sentinel = EmbeddedRedis.shared(RedisTopology.SENTINEL);
		sentinel.flushAll();
		try (ConfigurableApplicationContext context = StreamContexts.start(sentinel, Listeners.class)) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			StreamDeadLetters deadLetters = context.getBean(StreamDeadLetters.class);
			for (int i = 0; i < 10; i++) {
				publisher.publish("sentinel-orders", new Order("s" + i, (i == 3) ? -1 : i));
			}
			await().atMost(Duration.ofSeconds(20))
				.until(() -> handled.size() == 9 && deadLetters.size("sentinel-orders") == 1);
			assertThat(handled).doesNotContain("s3");
			assertThat(deadLetters.list("sentinel-orders", 10).get(0).attempts()).isEqualTo(2);
		}
	}

	/**
	 * The master is killed and the Sentinels promote a replica that lacks the consumer group; every entry written to
	 * the new master after the master was lost is handled by the running listener (no restart, nothing lost).
	 */
	@Test
	void listenerKeepsConsumingAfterTheMasterIsKilledAndTheReplicaPromoted() {
		events.clear();
		try (SentinelRedis sentinel = EmbeddedRedis.sentinel();
				ConfigurableApplicationContext context = StreamContexts.start(sentinel, FailoverListeners.class)) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			String streamKey = context.getBean(io.redispatterns.stream.internal.StreamKeys.class)
				.stream("failover-events");
			// the group is first created at $ (the default start position): wait for it before publishing
			await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
				.until(() -> sentinel.master().execute((commands) -> commands.xinfoGroups(streamKey)).size() == 1);
			for (int i = 0; i < 20; i++) {
				publisher.publish("failover-events", new Event("before-" + i));
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> events.size() == 20);
			// the entries reached the replica before the master goes away, but the group did not: the new master
			// lacks it, as after a failover to a replica that never had it
			RedisNode master = sentinel.master();
			master.commands((commands) -> commands.waitForReplication(1, 5000));
			sentinel.replica().commands((commands) -> {
				commands.configSet("replica-read-only", "no");
				commands.xgroupDestroy(streamKey, "audit");
			});
			java.util.Map<String, String> template = new java.util.LinkedHashMap<>(master
				.execute((commands) -> commands.xrange(streamKey, io.lettuce.core.Range.create("-", "+")))
				.get(0)
				.getBody());
			RedisNode replica = sentinel.replica();
			master.kill();
			// entries that reach the new master before the listener can re-attach (the Sentinels still name the
			// dead master, so the listener cannot connect yet): written directly, in the publisher's format
			replica.commands((commands) -> {
				for (int i = 0; i < 15; i++) {
					template.put(StreamHeaders.PAYLOAD, "{\"id\":\"after-" + i + "\"}");
					template.put(StreamHeaders.MESSAGE_ID, "direct-" + i);
					commands.xadd(streamKey, template);
				}
			});
			sentinel.awaitMasterOtherThan(master);
			long failedOver = System.nanoTime();
			// and entries published by this application once its connection has followed the failover
			for (int i = 15; i < 30; i++) {
				Event event = new Event("after-" + i);
				await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
					publisher.publish("failover-events", event);
					return true;
				});
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> IntStream.range(0, 30).allMatch((i) -> events.contains("after-" + i)));
			System.out.printf("sentinel: 30 entries written after the master was lost handled within %d ms of the failover%n",
					(System.nanoTime() - failedOver) / 1_000_000);
		}
	}

}
