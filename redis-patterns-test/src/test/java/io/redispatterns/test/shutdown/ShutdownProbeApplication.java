package io.redispatterns.test.shutdown;

import java.time.Duration;

import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.autoconfigure.EmbeddedRedisAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A small application on the development server whose shutdown still needs Redis (as a queue worker
 * finishing its in-flight job would): started in its own JVM by {@code ApplicationServerShutdownTest}.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ EmbeddedRedisAutoConfiguration.class, DataRedisAutoConfiguration.class })
public class ShutdownProbeApplication {

	public static void main(String[] args) throws InterruptedException {
		var context = new SpringApplicationBuilder(ShutdownProbeApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run(args);
		System.out.println("probe: redis-pid " + context.getBean(StandaloneRedis.class).node().pid().orElseThrow());
		context.getBean(StringRedisTemplate.class).opsForValue().set("probe", "started");
		System.out.println("probe: ready");
		// stay up until the test's SIGTERM, like a server would, rather than exiting when main returns
		new java.util.concurrent.CountDownLatch(1).await();
	}

	@Bean
	ShutdownPing shutdownPing(StringRedisTemplate redis) {
		return new ShutdownPing(redis);
	}

	/**
	 * Stops like a worker draining its in-flight work: before the connection factory, it waits until the
	 * JVM's other shutdown hooks are under way, then talks to Redis.
	 */
	static final class ShutdownPing implements SmartLifecycle {

		private final StringRedisTemplate redis;

		private volatile boolean running;

		ShutdownPing(StringRedisTemplate redis) {
			this.redis = redis;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public void stop() {
			this.running = false;
			System.out.println("probe: stopping");
			awaitCleanupHookRunning();
			try {
				String reply = this.redis.execute((org.springframework.data.redis.core.RedisCallback<String>) (
						connection) -> connection.ping());
				System.out.println("probe: shutdown ping " + reply);
			}
			catch (RuntimeException ex) {
				System.out.println("probe: shutdown ping failed " + ex);
			}
		}

		private static void awaitCleanupHookRunning() {
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (System.nanoTime() < deadline) {
				for (Thread thread : Thread.getAllStackTraces().keySet()) {
					if (thread.getName().equals("redis-patterns-test-cleanup")
							&& (thread.getState() == Thread.State.TIMED_WAITING || thread.getState() == Thread.State.WAITING)) {
						return;
					}
				}
				try {
					Thread.sleep(10);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

	}

}
