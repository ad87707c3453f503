package io.redispatterns.sample.faults;

import java.time.Duration;
import java.util.List;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis slower than the command timeout (a proxy delays every reply by 3 s, the timeout is 2 s) while every
 * pattern of the sample is in use: callers get the pattern's documented answer (fail-open patterns answer
 * without Redis, the others fail with a Redis fault) — never an arbitrary error — and every pattern works
 * again once Redis is fast again. Times are printed, not asserted.
 */
@Tag("faults")
@SpringBootTest(properties = { "spring.data.redis.timeout=2s", "redis-patterns.stream.block=1s",
		"sample.inventory.audit-interval=1h" })
@AutoConfigureMockMvc
@Import({ FaultScenarioListeners.class, SlowRedisUnderLoadTests.ThroughTheProxy.class })
@DirtiesContext
class SlowRedisUnderLoadTests extends SampleUnderLoad {

	private static final Duration BOUND = Duration.ofSeconds(90);

	@Autowired
	RedisProxy proxy;

	/**
	 * Redis behind a proxy, started with the context and closed after the connection factory (the
	 * connection details depend on the proxy, the proxy on the server).
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class ThroughTheProxy {

		@Bean
		StandaloneRedis slowRedisServer() {
			return EmbeddedRedis.startStandaloneServer(0);
		}

		@Bean
		RedisProxy slowRedisProxy(StandaloneRedis slowRedisServer) {
			return RedisProxy.start(slowRedisServer.node());
		}

		@Bean
		DataRedisConnectionDetails proxiedRedis(RedisProxy slowRedisProxy) {
			return slowRedisProxy.connectionDetails();
		}

	}

	@Test
	void everyPatternAnswersWithinItsContractWhileRedisIsSlowAndRecoversAfterwards() throws Exception {
		try (PatternLoad load = load(new PatternLoad.Settings(0, false, 4))) {
			long started = System.nanoTime();
			awaitUpTo(BOUND, "every pattern to work before Redis slows down", () -> load.everyPatternSucceededSince(started, 5),
					() -> load.recoveryReport("before the slowdown", started));

			long slowed = System.nanoTime();
			this.proxy.latency(Duration.ofMillis(1500));
			awaitUpTo(BOUND, "every pattern to run into the slowdown", () -> load.everyPatternRanSince(slowed, 3),
					() -> load.recoveryReport("while Redis is slow", slowed));
			System.out.print(load.recoveryReport("while every reply takes 3 s (ms after the slowdown)", slowed));
			long healed = System.nanoTime();
			this.proxy.heal();
			awaitUpTo(BOUND, "every pattern to work again once Redis is fast", () -> load.everyPatternSucceededSince(healed, 5),
					() -> load.recoveryReport("after the slowdown", healed));
			load.close();

			System.out.print(load.recoveryReport("Redis fast again (ms after the proxy stopped delaying)", healed));
			assertThat(load.violations()).as("arbitrary errors or 500s").isEmpty();
			assertFencedCounterNeverRegressed(load);
			List<String> acknowledged = load.published().stream().map(PatternLoad.Published::id).toList();
			awaitUpTo(BOUND, "every acknowledged entry to be handled", () -> this.listeners.handled.containsAll(acknowledged));
			List<String> enqueued = load.enqueued().stream().map(PatternLoad.Published::id).toList();
			awaitUpTo(BOUND, "every acknowledged job to run", () -> this.listeners.jobsRun.containsAll(enqueued));
		}
	}

}
