package io.redispatterns.queue;

import java.util.concurrent.CountDownLatch;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A worker process for {@link JobQueueKillTests}: takes jobs of the queue {@code crash} and holds them (its
 * handler never returns) until the test kills the process with SIGKILL.
 * Arguments: Redis host, Redis port.
 */
public final class CrashingWorkerMain {

	private CrashingWorkerMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		new SpringApplicationBuilder(QueueContexts.Base.class, Holder.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "redis-patterns.key-prefix=t",
					"spring.data.redis.host=" + args[0], "spring.data.redis.port=" + args[1],
					"redis-patterns.queue.block=500ms", "redis-patterns.queue.lease=3s",
					"redis-patterns.queue.stalled-check-interval=300ms")
			.run();
		new CountDownLatch(1).await();
	}

	@Configuration(proxyBeanMethods = false)
	static class Holder {

		@Bean
		Object holdingHandler() {
			return new Object() {
				@RedisJobHandler(queue = "crash", concurrency = 4)
				void hold(Integer job) throws InterruptedException {
					new CountDownLatch(1).await();
				}
			};
		}

	}

}
