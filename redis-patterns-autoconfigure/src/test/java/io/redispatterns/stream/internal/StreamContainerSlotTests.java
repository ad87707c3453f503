package io.redispatterns.stream.internal;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.stream.RedisStreamListener;
import io.redispatterns.stream.StreamPublisher;
import io.redispatterns.stream.autoconfigure.StreamAutoConfiguration;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.BeforeEach;
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
 * Worker-slot accounting of {@link StreamListenerContainer} when handing an entry to a worker fails part-way
 * through a read.
 */
class StreamContainerSlotTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	record Order(String id) {
	}

	static final AtomicInteger running = new AtomicInteger();

	static final AtomicInteger maxRunning = new AtomicInteger();

	static final Set<String> handled = ConcurrentHashMap.newKeySet();

	static volatile CountDownLatch release = new CountDownLatch(1);

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
			RedisPatternsAutoConfiguration.class, StreamAutoConfiguration.class })
	static class Listeners {

		@Bean
		Object blockingListener() {
			return new Object() {
				@RedisStreamListener(stream = "slots", group = "g", concurrency = 2)
				void on(Order order) throws InterruptedException {
					maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
					try {
						release.await(30, TimeUnit.SECONDS);
						handled.add(order.id());
					}
					finally {
						running.decrementAndGet();
					}
				}
			};
		}

	}

	@BeforeEach
	void clean() {
		redis.flushAll();
		running.set(0);
		maxRunning.set(0);
		handled.clear();
		release = new CountDownLatch(1);
	}

	@Test
	void workerRejectedPartWayThroughAReadNeitherLeaksSlotsNorLosesTheEntry() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Listeners.class)
			.web(WebApplicationType.NONE)
			.initializers((ctx) -> ctx.getBeanFactory()
				.registerSingleton("testRedisConnectionDetails", redis.connectionDetails()))
			.properties("spring.main.banner-mode=off", "redis-patterns.key-prefix=t",
					"redis-patterns.stream.block=200ms", "redis-patterns.stream.claim-interval=200ms",
					"redis-patterns.stream.claim-idle=60s", "redis-patterns.stream.reconnect.initial=50ms",
					"redis-patterns.stream.start-from=earliest", "redis-patterns.stream.shutdown-timeout=10s")
			.run()) {
			StreamListenerContainer container = context.getBean(StreamListenerRegistry.class).containers().get(0);
			container.stop();
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			for (int i = 0; i < 8; i++) {
				publisher.publish("slots", new Order("o-" + i));
			}
			// the first read returns two entries; the executor rejects the second after running the first
			container.decorateWorkers((executor) -> new RejectingOnce(executor, 2));
			container.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> running.get() >= 2);
			// give a leaked slot the chance to be used by further reads
			Thread.sleep(1500);
			// entries handed to workers (running or queued) plus free slots never exceed concurrency
			assertThat(container.inFlight()).isEqualTo(2);
			assertThat(container.inFlight() + container.freeSlots()).isLessThanOrEqualTo(2);
			assertThat(maxRunning.get()).isEqualTo(2);
			release.countDown();
			await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == 8);
			assertThat(maxRunning.get()).isEqualTo(2);
			await().atMost(Duration.ofSeconds(5)).until(() -> container.inFlight() == 0);
			assertThat(container.freeSlots()).isLessThanOrEqualTo(2);
		}
	}

	/** Delegates to an executor but rejects the n-th task it is given. */
	static final class RejectingOnce extends AbstractExecutorService {

		private final ExecutorService delegate;

		private final int rejected;

		private final AtomicInteger calls = new AtomicInteger();

		RejectingOnce(ExecutorService delegate, int rejected) {
			this.delegate = delegate;
			this.rejected = rejected;
		}

		@Override
		public void execute(Runnable command) {
			if (this.calls.incrementAndGet() == this.rejected) {
				throw new RejectedExecutionException("rejected for the test");
			}
			this.delegate.execute(command);
		}

		@Override
		public void shutdown() {
			this.delegate.shutdown();
		}

		@Override
		public List<Runnable> shutdownNow() {
			return this.delegate.shutdownNow();
		}

		@Override
		public boolean isShutdown() {
			return this.delegate.isShutdown();
		}

		@Override
		public boolean isTerminated() {
			return this.delegate.isTerminated();
		}

		@Override
		public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
			return this.delegate.awaitTermination(timeout, unit);
		}

	}

}
