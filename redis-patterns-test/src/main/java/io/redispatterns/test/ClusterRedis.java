package io.redispatterns.test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.Range;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * A Redis Cluster of three masters without replicas. Node 0 holds slots 0–5460, node 1 5461–10922 and
 * node 2 10923–16383 when {@link EmbeddedRedis#cluster()} returns; it waits until every node reports
 * {@code cluster_state:ok} and sees three masters.
 */
public final class ClusterRedis implements RedisDeployment {

	private static final int[][] SLOT_RANGES = { { 0, 5460 }, { 5461, 10922 }, { 10923, 16383 } };

	private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

	private final Path directory;

	private final List<RedisNode> masters;

	private volatile boolean closed;

	private ClusterRedis(Path directory, List<RedisNode> masters) {
		this.directory = directory;
		this.masters = masters;
	}

	static ClusterRedis start() {
		Path directory = LiveProcesses.createDirectory("redis-cluster-");
		List<RedisNode> nodes = new ArrayList<>();
		try {
			for (int i = 0; i < SLOT_RANGES.length; i++) {
				Path nodeDirectory = directory.resolve("node-" + i);
				nodes.add(RedisNode.start("node-" + i, RedisNode.Kind.CLUSTER, nodeDirectory, 0,
						List.of("cluster-enabled yes", "cluster-config-file " + nodeDirectory.resolve("nodes-" + i + ".conf"),
								"cluster-node-timeout 2000")));
			}
			ClusterRedis cluster = new ClusterRedis(directory, List.copyOf(nodes));
			cluster.form();
			return cluster;
		}
		catch (RuntimeException ex) {
			nodes.forEach(RedisNode::kill);
			LiveProcesses.deleteDirectory(directory);
			throw ex;
		}
	}

	/** The three masters, in the order of their slot ranges. */
	public List<RedisNode> masters() {
		return this.masters;
	}

	/**
	 * The master that currently owns the slot of {@code key}, as reported by {@code CLUSTER NODES}.
	 * @param key a key (hash tags are honoured)
	 */
	public RedisNode nodeForKey(String key) {
		return nodeForSlot(SlotHash.getSlot(key));
	}

	/**
	 * The master that currently owns {@code slot}, as reported by {@code CLUSTER NODES} on a running node.
	 * @param slot a slot between 0 and 16383
	 */
	public RedisNode nodeForSlot(int slot) {
		RedisNode asked = this.masters.stream().filter(RedisNode::isRunning).findFirst()
			.orElseThrow(() -> new IllegalStateException("No cluster node is running"));
		Partitions partitions = ClusterPartitionParser.parse(asked.<String>execute((commands) -> commands.clusterNodes()));
		RedisClusterNode owner = partitions.getPartitionBySlot(slot);
		if (owner == null) {
			throw new IllegalStateException("No node owns slot " + slot);
		}
		return this.masters.stream().filter((node) -> node.port() == owner.getUri().getPort()).findFirst()
			.orElseThrow(() -> new IllegalStateException("Slot " + slot + " is owned by unknown node " + owner.getUri()));
	}

	/**
	 * Cluster node id ({@code CLUSTER MYID}) of one of the masters.
	 * @param node one of {@link #masters()}
	 */
	public String nodeId(RedisNode node) {
		return node.execute((commands) -> commands.clusterMyId());
	}

	/** Lettuce URIs of all masters, for {@code RedisClusterClient.create(uris)}. */
	public List<RedisURI> clusterUris() {
		return this.masters.stream().map(RedisNode::redisUri).toList();
	}

	@Override
	public RedisTopology topology() {
		return RedisTopology.CLUSTER;
	}

	@Override
	public DataRedisConnectionDetails connectionDetails() {
		return ConnectionDetailsFactory.cluster(this.masters.stream().map(ConnectionDetailsFactory::node).toList());
	}

	@Override
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.cluster.nodes", ConnectionDetailsFactory.hostsAndPorts(this.masters));
		return properties;
	}

	@Override
	public List<RedisNode> dataNodes() {
		return this.masters;
	}

	@Override
	public void flushAll() {
		this.masters.forEach((node) -> node.commands((commands) -> commands.flushall()));
	}

	@Override
	public boolean isClosed() {
		return this.closed;
	}

	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.masters.forEach(RedisNode::stop);
		LiveProcesses.deleteDirectory(this.directory);
	}

	@Override
	public String toString() {
		return "ClusterRedis[" + ConnectionDetailsFactory.hostsAndPorts(this.masters) + "]";
	}

	private void form() {
		for (int i = 0; i < this.masters.size(); i++) {
			Range<Integer> range = Range.create(SLOT_RANGES[i][0], SLOT_RANGES[i][1]);
			this.masters.get(i).commands((commands) -> commands.clusterAddSlotsRange(range));
		}
		RedisNode first = this.masters.get(0);
		for (RedisNode other : this.masters.subList(1, this.masters.size())) {
			// CLUSTER MEET ip port cluster-bus-port: the bus port is not port + 10000 here
			first.commands((commands) -> commands.dispatch(CommandType.CLUSTER, new StatusOutput<>(StringCodec.UTF8),
					new CommandArgs<>(StringCodec.UTF8).add("MEET").add(other.host()).add(other.port()).add(other.clusterPort())));
		}
		for (RedisNode node : this.masters) {
			Await.until(FORM_TIMEOUT, () -> node + " to report cluster_state:ok with 3 masters; log tail:\n" + node.logTail(),
					() -> {
						String info = node.execute((commands) -> commands.clusterInfo());
						return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:3")
								&& info.contains("cluster_size:3");
					});
		}
	}

}
