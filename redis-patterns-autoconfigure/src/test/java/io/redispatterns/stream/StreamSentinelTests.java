package io.redispatterns.stream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 * Stream listeners and the dead-letter flow through Sentinel (master, replica, three Sentinels).
 */
class StreamSentinelTests {

	static final Set<String> handled = ConcurrentHashMap.newKeySet();

	record Order(String id, int amount) {
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

}
