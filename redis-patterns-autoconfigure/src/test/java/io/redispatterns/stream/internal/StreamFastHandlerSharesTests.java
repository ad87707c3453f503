package io.redispatterns.stream.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.stream.RedisStreamListener;
import io.redispatterns.stream.StreamPublisher;
import io.redispatterns.stream.autoconfigure.StreamAutoConfiguration;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handler faster than a thread hand-off, at concurrency 8: its batches go to workers in shares, and no more
 * shares run at once than the machine has cores (more threads would only add hand-offs and contention); every
 * entry is still handled once and acknowledged.
 */
class StreamFastHandlerSharesTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static final int ENTRIES = 3_000;

	static final AtomicInteger running = new AtomicInteger();

	static final AtomicInteger maxRunning = new AtomicInteger();

	static final Set<String> handled = ConcurrentHashMap.newKeySet();

	static final Set<String> threads = ConcurrentHashMap.newKeySet();

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			RedisPatternsAutoConfiguration.class, StreamAutoConfiguration.class })
	static class Listeners {

		@Bean
		Object fastListener() {
			return new Object() {
				@RedisStreamListener(stream = "fast", group = "g", concurrency = 8)
				void on(String payload) {
					maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
					handled.add(payload);
					threads.add(Thread.currentThread().getName());
					running.decrementAndGet();
				}
			};
		}

	}

	@Test
	void sharesOfAFastHandlerRunAtMostOnePerCore() {
		redis.flushAll();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Listeners.class)
			.web(WebApplicationType.NONE)
			.initializers((ctx) -> ctx.getBeanFactory()
				.registerSingleton("testRedisConnectionDetails", redis.connectionDetails()))
			.properties("spring.main.banner-mode=off", "redis-patterns.key-prefix=fast",
					"redis-patterns.streams.block=200ms", "redis-patterns.streams.start-from=earliest",
					"redis-patterns.streams.shutdown-timeout=10s")
			.run()) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			StreamListenerContainer container = context.getBean(StreamListenerRegistry.class).containers().get(0);
			// until the handler's average run time is known, every entry is a hand-off of its own
			for (int i = 0; i < 100; i++) {
				publisher.publish("fast", "warm-" + i);
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == 100);
			await().atMost(Duration.ofSeconds(10)).until(() -> container.inFlight() == 0);
			maxRunning.set(0);
			for (int i = 0; i < ENTRIES; i++) {
				publisher.publish("fast", "e-" + i);
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == 100 + ENTRIES);
			await().atMost(Duration.ofSeconds(10)).until(() -> container.inFlight() == 0);
			assertThat(maxRunning.get()).isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors());
			assertThat(threads).allMatch((name) -> name.contains("-worker-"));
			StreamKeys keys = context.getBean(StreamKeys.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> context.getBean(org.springframework.data.redis.core.StringRedisTemplate.class)
					.opsForStream()
					.pending(keys.stream("fast"), "g")
					.getTotalPendingMessages() == 0);
		}
	}

}
