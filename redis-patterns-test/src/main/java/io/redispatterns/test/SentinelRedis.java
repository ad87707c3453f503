package io.redispatterns.test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisURI;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * A master, one replica and three Sentinels monitoring them as {@value #MASTER_NAME} with quorum 2,
 * {@code down-after-milliseconds} 1000 and {@code failover-timeout} 3000, so a killed master is replaced
 * within a few seconds.
 * <p>
 * {@link EmbeddedRedis#sentinel()} returns only once the replica is in sync and every Sentinel knows the
 * replica and the two other Sentinels.
 */
public final class SentinelRedis implements RedisDeployment {

	/** Name under which the Sentinels monitor the master. */
	public static final String MASTER_NAME = "mymaster";

	private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(45);

	private final Path directory;

	private final List<RedisNode> dataNodes;

	private final List<RedisNode> sentinels;

	private volatile boolean closed;

	private SentinelRedis(Path directory, List<RedisNode> dataNodes, List<RedisNode> sentinels) {
		this.directory = directory;
		this.dataNodes = dataNodes;
		this.sentinels = sentinels;
	}

	static SentinelRedis start() {
		Path directory = LiveProcesses.createDirectory("redis-sentinel-");
		List<RedisNode> dataNodes = new ArrayList<>();
		List<RedisNode> sentinels = new ArrayList<>();
		try {
			RedisNode master = RedisNode.start("master", RedisNode.Kind.DATA, directory.resolve("master"), 0, List.of());
			dataNodes.add(master);
			dataNodes.add(RedisNode.start("replica", RedisNode.Kind.DATA, directory.resolve("replica"), 0,
					List.of("replicaof " + RedisNode.HOST + " " + master.port())));
			for (int i = 1; i <= 3; i++) {
				sentinels.add(RedisNode.start("sentinel-" + i, RedisNode.Kind.SENTINEL, directory.resolve("sentinel-" + i), 0,
						List.of("sentinel monitor " + MASTER_NAME + " " + RedisNode.HOST + " " + master.port() + " 2",
								"sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
								"sentinel failover-timeout " + MASTER_NAME + " 3000",
								"sentinel parallel-syncs " + MASTER_NAME + " 1")));
			}
			SentinelRedis deployment = new SentinelRedis(directory, List.copyOf(dataNodes), List.copyOf(sentinels));
			deployment.awaitSettled();
			return deployment;
		}
		catch (RuntimeException ex) {
			sentinels.forEach(RedisNode::kill);
			dataNodes.forEach(RedisNode::kill);
			LiveProcesses.deleteDirectory(directory);
			throw ex;
		}
	}

	/** The node the Sentinels currently report as master (asked from the first running Sentinel). */
	public RedisNode master() {
		return nodeOnPort(masterPortReportedBy(runningSentinel()));
	}

	/** The data node that is not the current {@link #master()}. */
	public RedisNode replica() {
		RedisNode master = master();
		return this.dataNodes.stream().filter((node) -> node != master).findFirst().orElseThrow();
	}

	/** The three Sentinels. */
	public List<RedisNode> sentinels() {
		return this.sentinels;
	}

	/** Lettuce URI ({@code redis-sentinel://...#mymaster}) that connects to the current master through the Sentinels. */
	public RedisURI sentinelUri() {
		RedisURI.Builder builder = RedisURI.Builder.sentinel(RedisNode.HOST, this.sentinels.get(0).port(), MASTER_NAME);
		this.sentinels.subList(1, this.sentinels.size()).forEach((sentinel) -> builder.withSentinel(RedisNode.HOST, sentinel.port()));
		return builder.withTimeout(LettuceClients.COMMAND_TIMEOUT).build();
	}

	/**
	 * Forces a failover with {@code SENTINEL FAILOVER mymaster} and waits until every running Sentinel
	 * reports the replica as the new master and it answers {@code ROLE} as master.
	 * @return the new master
	 */
	public RedisNode failover() {
		RedisNode previous = master();
		Await.until(FAILOVER_TIMEOUT, () -> "SENTINEL FAILOVER " + MASTER_NAME + " to be accepted", () -> {
			runningSentinel().executeOnSentinel((commands) -> commands.failover(MASTER_NAME));
			return true;
		});
		return awaitMasterOtherThan(previous);
	}

	/**
	 * Waits until every running Sentinel reports a master other than {@code previous} and that node answers
	 * {@code ROLE} as master — for example after {@link RedisNode#kill() killing} the master.
	 * @param previous the master before the failover
	 * @return the new master
	 */
	public RedisNode awaitMasterOtherThan(RedisNode previous) {
		Await.until(FAILOVER_TIMEOUT, () -> "the Sentinels to promote a master other than " + previous, () -> {
			int port = -1;
			for (RedisNode sentinel : this.sentinels) {
				if (sentinel.isRunning()) {
					int reported = masterPortReportedBy(sentinel);
					if (reported == previous.port() || (port != -1 && reported != port)) {
						return false;
					}
					port = reported;
				}
			}
			RedisNode candidate = nodeOnPort(port);
			return "master".equals(candidate.execute((commands) -> commands.role()).get(0));
		});
		return master();
	}

	@Override
	public RedisTopology topology() {
		return RedisTopology.SENTINEL;
	}

	@Override
	public DataRedisConnectionDetails connectionDetails() {
		return ConnectionDetailsFactory.sentinel(MASTER_NAME, this.sentinels.stream().map(ConnectionDetailsFactory::node).toList());
	}

	@Override
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.data.redis.sentinel.master", MASTER_NAME);
		properties.put("spring.data.redis.sentinel.nodes", ConnectionDetailsFactory.hostsAndPorts(this.sentinels));
		return properties;
	}

	/** The master and the replica as started (their roles change with failovers; see {@link #master()}). */
	@Override
	public List<RedisNode> dataNodes() {
		return this.dataNodes;
	}

	@Override
	public void flushAll() {
		master().commands((commands) -> commands.flushall());
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
		this.sentinels.forEach(RedisNode::kill);
		this.dataNodes.forEach(RedisNode::stop);
		LiveProcesses.deleteDirectory(this.directory);
	}

	@Override
	public String toString() {
		return "SentinelRedis[" + MASTER_NAME + ", sentinels " + ConnectionDetailsFactory.hostsAndPorts(this.sentinels) + "]";
	}

	private void awaitSettled() {
		RedisNode master = this.dataNodes.get(0);
		RedisNode replica = this.dataNodes.get(1);
		Await.until(SETTLE_TIMEOUT, () -> "the replica to sync with the master; log tail:\n" + replica.logTail(),
				() -> replica.execute((commands) -> commands.info("replication")).contains("master_link_status:up"));
		for (RedisNode sentinel : this.sentinels) {
			Await.until(SETTLE_TIMEOUT, () -> sentinel + " to know the replica and the other Sentinels; log tail:\n" + sentinel.logTail(),
					() -> sentinel.executeOnSentinel((commands) -> knowsEverything(commands.master(MASTER_NAME),
							commands.replicas(MASTER_NAME), master)));
		}
	}

	private static boolean knowsEverything(Map<String, String> masterState, List<Map<String, String>> replicas, RedisNode master) {
		return Integer.toString(master.port()).equals(masterState.get("port")) && "master".equals(masterState.get("flags"))
				&& "2".equals(masterState.get("num-other-sentinels")) && replicas.size() == 1
				&& "slave".equals(replicas.get(0).get("flags")) && "ok".equals(replicas.get(0).get("master-link-status"));
	}

	private RedisNode runningSentinel() {
		return this.sentinels.stream().filter(RedisNode::isRunning).findFirst()
			.orElseThrow(() -> new IllegalStateException("No Sentinel is running"));
	}

	private static int masterPortReportedBy(RedisNode sentinel) {
		SocketAddress address = sentinel.executeOnSentinel((commands) -> commands.getMasterAddrByName(MASTER_NAME));
		return ((InetSocketAddress) address).getPort();
	}

	private RedisNode nodeOnPort(int port) {
		return this.dataNodes.stream().filter((node) -> node.port() == port).findFirst()
			.orElseThrow(() -> new IllegalStateException("No data node listens on port " + port));
	}

}
