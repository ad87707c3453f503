package io.redispatterns.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.redispatterns.test.RedisDeployment;

import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several application contexts, each with many threads, increment a non-atomic counter (GET then
 * SET) under one lock: only mutual exclusion gives the exact total.
 */
final class MutualExclusion {

	static final int CONTEXTS = 3;

	static final int THREADS = 16;

	static final int INCREMENTS = 200;

	private MutualExclusion() {
	}

	static void verify(RedisDeployment redis, String topology) {
		String prefix = "mutex-" + UUID.randomUUID().toString().substring(0, 8);
		String counter = prefix + ":counter";
		LockTestSupport.runner(redis, prefix).run((first) -> LockTestSupport.runner(redis, prefix).run(
				(second) -> LockTestSupport.runner(redis, prefix).run((third) -> {
					List<ApplicationContext> contexts = List.of(first, second, third);
					Map<Long, Long> tokenByValue = new ConcurrentSkipListMap<>();
					ExecutorService pool = Executors.newFixedThreadPool(CONTEXTS * THREADS);
					long start = System.nanoTime();
					try {
						List<Future<?>> workers = new ArrayList<>();
						for (ApplicationContext context : contexts) {
							LockTemplate locks = context.getBean(LockTemplate.class);
							StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
							for (int t = 0; t < THREADS; t++) {
								workers.add(pool.submit(() -> {
									for (int i = 0; i < INCREMENTS; i++) {
										locks.executeWithLock("counter", LockOptions.defaults()
											.withWait(Duration.ofMinutes(2))
											.withLogicalName("counter"), (lease) -> {
												String value = template.opsForValue().get(counter);
												long next = (value != null) ? Long.parseLong(value) + 1 : 1;
												template.opsForValue().set(counter, Long.toString(next), Duration.ofMinutes(10));
												tokenByValue.put(next, lease.fencingToken());
												return null;
											});
									}
									return null;
								}));
							}
						}
						for (Future<?> worker : workers) {
							worker.get(5, TimeUnit.MINUTES);
						}
					}
					finally {
						pool.shutdownNow();
					}
					long elapsed = System.nanoTime() - start;
					int total = CONTEXTS * THREADS * INCREMENTS;
					String value = first.getBean(StringRedisTemplate.class).opsForValue().get(counter);
					assertThat(value).isEqualTo(Integer.toString(total));
					assertThat(tokenByValue).hasSize(total);
					long previous = 0;
					for (long token : tokenByValue.values()) {
						assertThat(token).isGreaterThan(previous);
						previous = token;
					}
					System.out.printf("[lock mutual exclusion %s] %d increments by %d contexts x %d threads in %.1fs (%.0f lock hand-offs/s)%n",
							topology, total, CONTEXTS, THREADS, elapsed / 1e9, total / (elapsed / 1e9));
				})));
	}

}
