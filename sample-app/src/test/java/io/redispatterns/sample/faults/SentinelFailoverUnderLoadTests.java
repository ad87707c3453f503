package io.redispatterns.sample.faults;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.redispatterns.test.RedisNode;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.SentinelRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sentinel failover under load: master, replica and three Sentinels; every pattern of the sample is in
 * use when the master is killed with SIGKILL. Every pattern must work again on the promoted replica
 * without restarting the application, and nothing that is guaranteed may be lost or applied twice.
 * <p>
 * Replication is asynchronous, so a write the old master acknowledged just before it died can be missing
 * on the new master. What is guaranteed, and asserted: lock acquisitions wait for the replica
 * ({@code wait-for-replicas: 1}), so mutual exclusion holds across the failover; the lock-guarded counter
 * counts a write only when {@code WAIT} confirmed the replica has it, so none of those is lost and it never
 * regresses; every stream entry that was acknowledged as published and is still in the stream after the
 * failover is handled, and every job acknowledged as enqueued that the queue still knows runs. How many
 * acknowledged entries and jobs the failover lost is printed, not asserted.
 * <p>
 * The killed node is restarted once the replica is promoted (as an operator or an orchestrator would) and
 * rejoins as the new master's replica; until then, acquisitions that need a replica's acknowledgement fail
 * with {@code LockUnavailableException}.
 */
@Tag("faults")
@WithRedis(topology = RedisTopology.SENTINEL, shared = false)
@SpringBootTest(properties = { "spring.data.redis.timeout=2s", "redis-patterns.lock.wait-for-replicas=1",
		"redis-patterns.lock.wait-for-replicas-timeout=500ms", "redis-patterns.stream.block=1s", "sample.inventory.audit-interval=1h" })
@AutoConfigureMockMvc
@Import(FaultScenarioListeners.class)
@DirtiesContext
class SentinelFailoverUnderLoadTests extends SampleUnderLoad {

	private static final Duration BOUND = Duration.ofSeconds(90);

	SentinelRedis sentinel;

	@Test
	void everyPatternRecoversFromAKilledMasterWithoutRestartingTheApplication() throws Exception {
		try (PatternLoad load = load(new PatternLoad.Settings(1, false, 4))) {
			long started = System.nanoTime();
			awaitUpTo(BOUND, "every pattern to work before the fault", () -> load.everyPatternSucceededSince(started, 5),
					() -> load.recoveryReport("before the fault", started));

			RedisNode oldMaster = this.sentinel.master();
			long killed = System.nanoTime();
			oldMaster.kill();
			RedisNode newMaster = this.sentinel.awaitMasterOtherThan(oldMaster);
			long promoted = System.nanoTime();
			oldMaster.restart();
			awaitUpTo(BOUND, "the old master to rejoin as a replica", () -> oldMaster
				.execute((commands) -> commands.info("replication"))
				.contains("master_link_status:up"));
			long rejoined = System.nanoTime();

			awaitUpTo(BOUND, "every pattern to work again after the failover",
					() -> load.everyPatternSucceededSince(killed, 5),
					() -> load.recoveryReport("after the SIGKILL", killed));
			load.close();

			System.out.printf("[faults] Sentinel failover: %s killed; %s promoted after %d ms; old master back as a replica "
					+ "after %d ms%n", oldMaster, newMaster, (promoted - killed) / 1_000_000, (rejoined - killed) / 1_000_000);
			System.out.print(load.recoveryReport("Sentinel failover under load (ms after the SIGKILL)", killed));

			assertThat(load.violations()).as("arbitrary errors, 500s or two lock holders").isEmpty();
			assertFencedCounterNeverRegressed(load);
			Set<String> inStream = idsInStream();
			List<String> acknowledged = load.published().stream().map(PatternLoad.Published::id).toList();
			List<String> lost = acknowledged.stream().filter((id) -> !inStream.contains(id)).toList();
			System.out.printf("[faults] streams: %d entries acknowledged as published, %d of them lost with the old master%n",
					acknowledged.size(), lost.size());
			List<String> kept = acknowledged.stream().filter(inStream::contains).toList();
			awaitUpTo(BOUND, "every acknowledged entry still in the stream to be handled",
					() -> this.listeners.handled.containsAll(kept));
			List<String> enqueued = load.enqueued().stream().map(PatternLoad.Published::id).toList();
			List<String> lostJobs = enqueued.stream().filter((id) -> !this.listeners.jobsRun.contains(id) && !jobKnown(id))
				.toList();
			System.out.printf("[faults] job queue: %d jobs acknowledged as enqueued, %d of them lost with the old master%n",
					enqueued.size(), lostJobs.size());
			List<String> keptJobs = enqueued.stream().filter((id) -> !lostJobs.contains(id)).toList();
			awaitUpTo(BOUND, "every acknowledged job the queue still knows to run",
					() -> this.listeners.jobsRun.containsAll(keptJobs));
		}
	}

}
