package io.redispatterns.stream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.stream.internal.StreamListenerContainer;
import io.redispatterns.stream.internal.StreamListenerRegistry;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application with stream listeners starts while Redis is unreachable, reports streams {@code DOWN} (without
 * Java class names), and consumes once Redis appears — with the default reconnection back-off.
 */
class StreamStartupWithoutRedisTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static final Set<String> handled = ConcurrentHashMap.newKeySet();

	record Job(String id) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		Object startupListener() {
			return new Object() {
				@RedisStreamListener(stream = "startup-jobs", group = "workers")
				void on(Job job) {
					handled.add(job.id());
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoListeners {

	}

	@Test
	void startsWithRedisDownReportsDownAndConsumesOnceRedisAppears() {
		redis.flushAll();
		handled.clear();
		try (RedisProxy proxy = RedisProxy.start(redis.dataNodes().get(0))) {
			proxy.refuse(true);
			try (ConfigurableApplicationContext context = StreamContexts.start(proxy.connectionDetails(),
					Listeners.class);
					ConfigurableApplicationContext publisherApp = StreamContexts.start(redis, NoListeners.class)) {
				StreamListenerContainer container = context.getBean(StreamListenerRegistry.class).containers().get(0);
				assertThat(container.isRunning()).isTrue();
				// the reader has tried and failed at least once
				await().atMost(Duration.ofSeconds(10)).until(() -> container.lastError() != null);
				Health down = streamsHealth(context);
				assertThat(down.getStatus()).isEqualTo(Status.DOWN);
				assertThat(String.valueOf(down.getDetails())).contains("Redis unavailable")
					.doesNotContainPattern("Exception|[a-z]+\\.[a-z]+\\.[A-Z]");
				// entries published while the listener cannot reach Redis are consumed too (the group is first
				// created at 0: start-from=earliest in these tests)
				StreamPublisher publisher = publisherApp.getBean(StreamPublisher.class);
				publisher.publish("startup-jobs", new Job("while-down"));

				long back = System.nanoTime();
				proxy.refuse(false);
				await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
					.until(container::isConnected);
				long connectedMs = (System.nanoTime() - back) / 1_000_000;
				publisher.publish("startup-jobs", new Job("after"));
				await().atMost(Duration.ofSeconds(20)).until(() -> handled.containsAll(Set.of("while-down", "after")));
				System.out.printf("streams: listener connected %d ms and consumed %d ms after Redis became reachable%n",
						connectedMs, (System.nanoTime() - back) / 1_000_000);
				assertThat(streamsHealth(context).getStatus()).isEqualTo(Status.UP);
			}
		}
	}

	private static Health streamsHealth(ConfigurableApplicationContext context) {
		return context.getBeansOfType(PatternHealthDetails.class)
			.values()
			.stream()
			.filter((part) -> part.patternName().equals("streams"))
			.findFirst()
			.orElseThrow()
			.health();
	}

}
