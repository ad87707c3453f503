package io.redispatterns.test;

import java.util.List;
import java.util.stream.IntStream;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterRedisTest {

	private static ClusterRedis redis;

	private static RedisClusterClient client;

	@BeforeAll
	static void start() {
		redis = EmbeddedRedis.cluster();
		client = RedisClusterClient.create(redis.clusterUris());
	}

	@AfterAll
	static void stop() {
		client.shutdown();
		redis.close();
	}

	@Test
	void keysSpreadOverAllThreeMasters() {
		redis.flushAll();
		try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
			RedisAdvancedClusterCommands<String, String> commands = connection.sync();
			IntStream.range(0, 300).forEach((i) -> commands.set("key:" + i, Integer.toString(i)));
			assertThat(commands.get("key:42")).isEqualTo("42");
		}
		long total = 0;
		for (RedisNode master : redis.masters()) {
			long size = master.<Long>execute((commands) -> commands.dbsize());
			assertThat(size).as("keys on %s", master).isPositive();
			total += size;
		}
		assertThat(total).isEqualTo(300);
		assertThat(redis.nodeForKey("key:7").<String>execute((commands) -> commands.get("key:7"))).isEqualTo("7");
	}

	@Test
	void springBootConnectsThroughTheClusterConnectionDetails() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, redis::connectionDetails)
			.run((context) -> {
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				template.opsForValue().set("{user:1}:name", "ada");
				assertThat(redis.nodeForKey("{user:1}:name").<String>execute((c) -> c.get("{user:1}:name"))).isEqualTo("ada");
			});
	}

	@Test
	void clientWithStaleTopologyFollowsMovedRedirect() {
		List<RedisNode> ownNodes;
		try (ClusterRedis own = EmbeddedRedis.cluster()) {
			RedisClusterClient staleClient = RedisClusterClient.create(own.clusterUris());
			try (StatefulRedisClusterConnection<String, String> connection = staleClient.connect()) {
				RedisAdvancedClusterCommands<String, String> commands = connection.sync();
				commands.set("warm-up", "1");
				String key = "moving-key";
				int slot = SlotHash.getSlot(key);
				RedisNode oldOwner = own.nodeForKey(key);
				RedisNode newOwner = own.masters().stream().filter((node) -> node != oldOwner).findFirst().orElseThrow();
				String newOwnerId = own.nodeId(newOwner);
				newOwner.commands((c) -> c.clusterSetSlotNode(slot, newOwnerId));
				own.masters().stream().filter((node) -> node != newOwner)
					.forEach((node) -> node.commands((c) -> c.clusterSetSlotNode(slot, newOwnerId)));
				// the masters converge through gossip (the new owner's bumped epoch wins); until they do, a
				// stale claim can bounce a command between two nodes, which no client can follow
				org.awaitility.Awaitility.await()
					.atMost(java.time.Duration.ofSeconds(30))
					.until(() -> own.masters().stream().allMatch((node) -> pointsTo(node, key, newOwner)));

				commands.set(key, "moved");

				assertThat(own.nodeForKey(key)).isSameAs(newOwner);
				assertThat(newOwner.<String>execute((c) -> c.get(key))).isEqualTo("moved");
				assertThat(oldOwner.<Long>execute((c) -> c.clusterCountKeysInSlot(slot))).isZero();
			}
			finally {
				staleClient.shutdown();
			}
			ownNodes = own.masters();
		}
		assertThat(ownNodes).noneMatch(RedisNode::isRunning);
	}

	/** Whether a master serves the key itself (the new owner) or redirects it to the new owner. */
	private static boolean pointsTo(RedisNode node, String key, RedisNode newOwner) {
		try {
			node.execute((c) -> c.get(key));
			return node == newOwner;
		}
		catch (io.lettuce.core.RedisCommandExecutionException ex) {
			return String.valueOf(ex.getMessage()).startsWith("MOVED") && ex.getMessage().endsWith(":" + newOwner.port());
		}
	}

}
