package io.redispatterns.sample.faults;

import java.time.Duration;
import java.util.List;

import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis stopped and started again, empty (no persistence), while every pattern of the sample is in use:
 * each pattern must work again without restarting the application, failing meanwhile only with Redis
 * faults (or answering without Redis where it is fail-open). How long each pattern takes once Redis
 * accepts connections again is printed, not asserted; the bound only guards against a hang.
 * <p>
 * What a restart without persistence loses is lost: sessions (the client logs in again), the lock's
 * fencing counter (tokens still increase: they have a Redis-time floor), stream entries not yet handled.
 * Entries published and jobs enqueued after the restart must all be handled.
 */
@WithRedis(shared = false)
@SpringBootTest(properties = { "spring.data.redis.timeout=2s", "redis-patterns.stream.block=1s",
		"sample.inventory.audit-interval=1h" })
@AutoConfigureMockMvc
@Import(FaultScenarioListeners.class)
@DirtiesContext
class RedisRestartRecoveryTests extends SampleUnderLoad {

	private static final Duration BOUND = Duration.ofSeconds(60);

	StandaloneRedis redis;

	@Test
	void everyPatternWorksAgainAfterRedisRestartsEmpty() throws Exception {
		try (PatternLoad load = load(new PatternLoad.Settings(0, true, 4))) {
			long started = System.nanoTime();
			awaitUpTo(BOUND, "every pattern to work before the restart", () -> load.everyPatternSucceededSince(started, 5),
					() -> load.recoveryReport("before the restart", started));

			long stopped = System.nanoTime();
			this.redis.node().stop();
			awaitUpTo(BOUND, "every pattern to run into the outage", () -> load.everyPatternRanSince(stopped, 3),
					() -> load.recoveryReport("while Redis is down", stopped));
			this.redis.node().restart();
			long restarted = System.nanoTime();
			awaitUpTo(BOUND, "every pattern to work again after the restart",
					() -> load.everyPatternSucceededSince(restarted, 5),
					() -> load.recoveryReport("after the restart", restarted));
			long publishedAfterRestart = System.nanoTime();
			awaitUpTo(BOUND, "entries to be published after the restart",
					() -> load.countSince(PatternLoad.Pattern.STREAM, publishedAfterRestart,
							(event) -> event.outcome() == PatternLoad.Outcome.OK) >= 20);
			load.close();

			System.out.printf("[faults] Redis restart: down for %d ms%n", (restarted - stopped) / 1_000_000);
			System.out.print(load.recoveryReport("Redis stopped, then restarted empty (ms after it accepted connections again)",
					restarted));

			assertThat(load.violations()).as("arbitrary errors or 500s").isEmpty();
			assertFencingTokensIncrease(load.fencedWrites());
			List<String> afterRestart = load.published().stream()
				.filter((published) -> published.nanos() > restarted)
				.map(PatternLoad.Published::id)
				.toList();
			List<String> enqueuedAfterRestart = load.enqueued().stream()
				.filter((enqueued) -> enqueued.nanos() > restarted)
				.map(PatternLoad.Published::id)
				.toList();
			awaitUpTo(BOUND, "every job enqueued after the restart to run",
					() -> this.listeners.jobsRun.containsAll(enqueuedAfterRestart));
			awaitUpTo(BOUND, "every entry published after the restart to be handled",
					() -> this.listeners.handled.containsAll(afterRestart),
					() -> (afterRestart.size() - afterRestart.stream().filter(this.listeners.handled::contains).count())
							+ " of " + afterRestart.size() + " entries published after the restart were never handled");
		}
	}

}
