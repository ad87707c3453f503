package io.redispatterns.sample.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.MigrateArgs;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.SlotHash;
import io.redispatterns.test.ClusterRedis;
import io.redispatterns.test.RedisNode;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cluster slot migration under load: a 3-master Cluster; while every pattern of the sample is in use,
 * every slot that holds one of the sample's keys is moved to another master the way {@code redis-cli
 * --cluster reshard} does it ({@code CLUSTER SETSLOT IMPORTING/MIGRATING}, {@code MIGRATE} ten keys at a time
 * with the load running between batches, so clients get {@code ASK} for moved keys and {@code MOVED} afterwards, then
 * {@code CLUSTER SETSLOT NODE} on every master). Every pattern must keep working, nothing may fail other
 * than with a Redis fault, and nothing acknowledged may be lost.
 */
@Tag("faults")
@WithRedis(topology = RedisTopology.CLUSTER, shared = false)
@SpringBootTest(properties = { "spring.data.redis.timeout=2s", "redis-patterns.stream.block=1s",
		"sample.inventory.audit-interval=1h" })
@AutoConfigureMockMvc
@Import(FaultScenarioListeners.class)
@DirtiesContext
class ClusterSlotMigrationUnderLoadTests extends SampleUnderLoad {

	private static final Duration BOUND = Duration.ofSeconds(90);

	ClusterRedis cluster;

	@Test
	void everyPatternSurvivesMovingTheSlotsOfItsKeysToAnotherMaster() throws Exception {
		// one rate-limit client: its counters stay in one slot, which is migrated like the others
		try (PatternLoad load = load(new PatternLoad.Settings(0, false, 1))) {
			long started = System.nanoTime();
			awaitUpTo(BOUND, "every pattern to work before the migration", () -> load.everyPatternSucceededSince(started, 5),
					() -> load.recoveryReport("before the migration", started));

			Map<Integer, RedisNode> slots = slotsHoldingKeys("sample:*");
			long migrationStarted = System.nanoTime();
			int moved = 0;
			for (Map.Entry<Integer, RedisNode> slot : slots.entrySet()) {
				moved += migrate(slot.getKey(), slot.getValue(), next(slot.getValue()), load);
			}
			long migrated = System.nanoTime();
			awaitUpTo(BOUND, "every pattern to work after the migration", () -> load.everyPatternSucceededSince(migrated, 5),
					() -> load.recoveryReport("after the migration", migrated));
			load.close();

			System.out.printf("[faults] Cluster: %d slots holding %d keys moved in %d ms: %s%n", slots.size(), moved,
					(migrated - migrationStarted) / 1_000_000, slots.keySet());
			System.out.print(load.recoveryReport("Cluster slot migration under load (ms after the migration started)",
					migrationStarted));

			for (Map.Entry<Integer, RedisNode> slot : slots.entrySet()) {
				assertThat(this.cluster.nodeForSlot(slot.getKey())).as("owner of slot %d", slot.getKey())
					.isEqualTo(next(slot.getValue()));
			}
			assertThat(load.violations()).as("arbitrary errors, 500s or two lock holders").isEmpty();
			assertFencedCounterNeverRegressed(load);
			Set<String> inStream = idsInStream();
			List<String> acknowledged = load.published().stream().map(PatternLoad.Published::id).toList();
			assertThat(acknowledged).as("acknowledged stream entries are all in the stream").allMatch(inStream::contains);
			awaitUpTo(BOUND, "every acknowledged entry to be handled", () -> this.listeners.handled.containsAll(acknowledged));
			List<String> enqueued = load.enqueued().stream().map(PatternLoad.Published::id).toList();
			awaitUpTo(BOUND, "every acknowledged job to run", () -> this.listeners.jobsRun.containsAll(enqueued));
		}
	}

	/** Slots (and their owners) of the keys matching {@code pattern}, from a SCAN of every master. */
	private Map<Integer, RedisNode> slotsHoldingKeys(String pattern) {
		Map<Integer, RedisNode> slots = new TreeMap<>();
		for (RedisNode master : this.cluster.masters()) {
			master.commands((commands) -> {
				ScanCursor cursor = ScanCursor.INITIAL;
				do {
					KeyScanCursor<String> page = commands.scan(cursor, ScanArgs.Builder.matches(pattern).limit(100));
					page.getKeys().forEach((key) -> slots.put(SlotHash.getSlot(key), master));
					cursor = page;
				}
				while (!cursor.isFinished());
			});
		}
		assertThat(slots).as("slots holding the sample's keys").isNotEmpty();
		return slots;
	}

	/**
	 * Moves a slot ten keys at a time (as {@code redis-cli --cluster reshard} does); between two batches every
	 * pattern runs two operations against the half-moved slot.
	 * @return how many keys were moved
	 */
	private int migrate(int slot, RedisNode source, RedisNode target, PatternLoad load) {
		String sourceId = this.cluster.nodeId(source);
		String targetId = this.cluster.nodeId(target);
		target.commands((commands) -> commands.clusterSetSlotImporting(slot, sourceId));
		source.commands((commands) -> commands.clusterSetSlotMigrating(slot, targetId));
		int moved = 0;
		while (true) {
			List<String> keys = source.execute((commands) -> commands.clusterGetKeysInSlot(slot, 10));
			if (keys.isEmpty()) {
				break;
			}
			source.commands((commands) -> commands.migrate(target.host(), target.port(), 0, 5000,
					MigrateArgs.Builder.keys(keys)));
			moved += keys.size();
			long now = System.nanoTime();
			awaitUpTo(BOUND, "the load to run against slot " + slot + " while it moves", () -> load.everyPatternRanSince(now, 2),
					() -> load.recoveryReport("during the migration", now));
		}
		target.commands((commands) -> commands.clusterSetSlotNode(slot, targetId));
		source.commands((commands) -> commands.clusterSetSlotNode(slot, targetId));
		for (RedisNode other : this.cluster.masters()) {
			if (other != source && other != target) {
				other.commands((commands) -> commands.clusterSetSlotNode(slot, targetId));
			}
		}
		return moved;
	}

	private RedisNode next(RedisNode master) {
		List<RedisNode> masters = this.cluster.masters();
		return masters.get((masters.indexOf(master) + 1) % masters.size());
	}

}
