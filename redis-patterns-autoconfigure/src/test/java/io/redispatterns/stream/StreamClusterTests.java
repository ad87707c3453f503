package io.redispatterns.stream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.stream.internal.StreamKeys;
import io.redispatterns.test.ClusterRedis;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stream listeners and the dead-letter flow on a 3-master Redis Cluster: the stream and its dead-letter stream
 * share a hash tag, so the dead-letter and replay scripts run in one slot.
 */
class StreamClusterTests {

	static final Set<String> handled = ConcurrentHashMap.newKeySet();

	record Order(String id, int amount) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		Object clusterListener() {
			return new Object() {
				@RedisStreamListener(stream = "cluster-orders", group = "billing", concurrency = 2, maxDeliveries = 2)
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
	void listenerAndDeadLetterFlowWorkOnCluster() {
		ClusterRedis cluster = (ClusterRedis) EmbeddedRedis.shared(RedisTopology.CLUSTER);
		cluster.flushAll();
		try (ConfigurableApplicationContext context = StreamContexts.start(cluster, Listeners.class)) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			StreamDeadLetters deadLetters = context.getBean(StreamDeadLetters.class);
			StreamKeys keys = context.getBean(StreamKeys.class);
			for (int i = 0; i < 20; i++) {
				publisher.publish("cluster-orders", new Order("c" + i, (i == 7) ? -1 : i));
			}
			publisher.publish("cluster-orders", new Order("once", 1), PublishOptions.none().withIdempotencyKey("k"));
			publisher.publish("cluster-orders", new Order("once", 1), PublishOptions.none().withIdempotencyKey("k"));
			await().atMost(Duration.ofSeconds(20))
				.until(() -> handled.size() == 20 && deadLetters.size("cluster-orders") == 1);
			assertThat(handled).doesNotContain("c7").contains("once");
			assertThat(deadLetters.list("cluster-orders", 10).get(0).error()).contains("negative amount");
			assertThat(cluster.nodeForKey(keys.deadLetters("cluster-orders")).port())
				.isEqualTo(cluster.nodeForKey(keys.stream("cluster-orders")).port());
			assertThat(deadLetters.replay("cluster-orders", 10)).isEqualTo(1);
			await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.size("cluster-orders") == 1);
		}
	}

}
