package io.redispatterns.keyspace;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisKeyAsyncCommands;
import io.lettuce.core.api.async.RedisServerAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Walks the keyspace with a bounded {@code SCAN} on every master (never {@code KEYS}) and reports,
 * per key prefix, key counts, types, keys without a TTL and memory estimated from a sample.
 * <p>
 * Per batch of keys a {@code SCAN} returns, {@code TYPE} and {@code PTTL} are pipelined; after the
 * scan, {@code MEMORY USAGE} is pipelined for up to {@code samplePerGroup} keys of each group (a
 * uniform reservoir sample), and a group's memory is extrapolated from it. The analysis stops at
 * its key budget (shared evenly by the masters) or time limit and says so in the report. It runs
 * on a connection of its own, opened by the application's Lettuce client and closed afterwards.
 * <p>
 * Commands: {@code SCAN}, {@code TYPE}, {@code PTTL}, {@code MEMORY USAGE} (and on Cluster the
 * topology commands Lettuce always uses). A key the ACL user may not read is counted in its group
 * and in {@code notPermitted}, not inspected.
 */
public final class KeyspaceAnalyzer {

	private static final String OTHER = "(other)";

	private final LettuceConnectionFactory connectionFactory;

	private final RedisKeys keys;

	private final KeyspaceScanOptions defaults;

	/**
	 * Creates the analyzer.
	 * @param connectionFactory the application's connection factory (its Lettuce client opens the analysis connection)
	 * @param keys the key builder (its prefix marks the library's keys)
	 * @param defaults the options of {@link #analyze()}
	 */
	public KeyspaceAnalyzer(LettuceConnectionFactory connectionFactory, RedisKeys keys, KeyspaceScanOptions defaults) {
		this.connectionFactory = connectionFactory;
		this.keys = keys;
		this.defaults = defaults;
	}

	/**
	 * Returns the options {@link #analyze()} uses.
	 * @return the options
	 */
	public KeyspaceScanOptions defaults() {
		return this.defaults;
	}

	/**
	 * Analyzes the keyspace with the default options.
	 * @return the report
	 */
	public KeyspaceReport analyze() {
		return analyze(this.defaults);
	}

	/**
	 * Analyzes the keys under the library's prefix, without memory sampling: what the TTL gauge reads.
	 * @return the report
	 */
	public KeyspaceReport analyzeLibraryKeys() {
		return analyze(this.defaults.withMatch(this.keys.prefix() + ":*").withSamplePerGroup(0));
	}

	/**
	 * Analyzes the keyspace.
	 * @param options the bounds and grouping
	 * @return the report
	 * @throws io.redispatterns.core.RedisUnavailableException when Redis cannot be reached
	 */
	public KeyspaceReport analyze(KeyspaceScanOptions options) {
		AbstractRedisClient client = this.connectionFactory.getRequiredNativeClient();
		StatefulConnection<byte[], byte[]> connection;
		try {
			connection = (client instanceof RedisClusterClient cluster) ? cluster.connect(ByteArrayCodec.INSTANCE)
					: ((RedisClient) client).connect(ByteArrayCodec.INSTANCE);
		}
		catch (RuntimeException ex) {
			throw RedisFailures.translate("Keyspace analysis", ex);
		}
		try {
			return new Run(options, nodes(connection)).execute();
		}
		catch (RuntimeException ex) {
			throw RedisFailures.translate("Keyspace analysis", ex);
		}
		finally {
			connection.closeAsync();
		}
	}

	private static List<RedisClusterAsyncCommands<byte[], byte[]>> nodes(StatefulConnection<byte[], byte[]> connection) {
		List<RedisClusterAsyncCommands<byte[], byte[]>> nodes = new ArrayList<>();
		if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
			for (RedisClusterNode node : cluster.getPartitions()) {
				if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
					nodes.add(cluster.getConnection(node.getNodeId()).async());
				}
			}
		}
		else {
			nodes.add(((StatefulRedisConnection<byte[], byte[]>) connection).async());
		}
		return nodes;
	}

	/** The group of a key: library keys by prefix, pattern and name; others by their first segments. */
	String groupOf(String key, int segments) {
		String libraryPrefix = this.keys.prefix() + ":";
		if (key.startsWith(libraryPrefix)) {
			// <prefix>:<pattern>:<name>:... -> <prefix>:<pattern>:<name>
			String[] parts = key.substring(libraryPrefix.length()).split(":", 3);
			int kept = Math.min(2, parts.length - 1);
			return (kept < 1) ? this.keys.prefix()
					: this.keys.prefix() + ":" + String.join(":", java.util.Arrays.copyOf(parts, kept));
		}
		String[] parts = key.split(":", -1);
		int kept = Math.min(segments, parts.length - 1);
		if (kept < 1) {
			return "(no prefix)";
		}
		return String.join(":", java.util.Arrays.copyOf(parts, kept));
	}

	/** One analysis. */
	private final class Run {

		private final KeyspaceScanOptions options;

		private final List<RedisClusterAsyncCommands<byte[], byte[]>> nodes;

		private final long deadline;

		private final long started = System.nanoTime();

		private final Map<String, Group> groups = new LinkedHashMap<>();

		private long scanned;

		private long scanCalls;

		private long notPermitted;

		private @Nullable String stoppedBy;

		Run(KeyspaceScanOptions options, List<RedisClusterAsyncCommands<byte[], byte[]>> nodes) {
			this.options = options;
			this.nodes = nodes;
			this.deadline = this.started + options.timeLimit().toNanos();
		}

		KeyspaceReport execute() {
			long perNode = Math.max(1, this.options.maxKeys() / this.nodes.size());
			for (RedisClusterAsyncCommands<byte[], byte[]> node : this.nodes) {
				scanNode(node, perNode);
			}
			List<KeyspaceReport.KeySize> sizes = measureSamples();
			List<KeyspaceReport.PrefixStats> stats = new ArrayList<>();
			for (Map.Entry<String, Group> entry : this.groups.entrySet()) {
				stats.add(entry.getValue().stats(entry.getKey()));
			}
			stats.sort(Comparator.comparingLong(KeyspaceReport.PrefixStats::keys).reversed());
			sizes.sort(Comparator.comparingLong(KeyspaceReport.KeySize::bytes).reversed());
			return new KeyspaceReport(this.stoppedBy == null, this.stoppedBy, this.nodes.size(), this.scanned,
					this.scanCalls, Duration.ofNanos(System.nanoTime() - this.started).toMillis(), stats,
					List.copyOf(sizes.subList(0, Math.min(sizes.size(), this.options.largestKeys()))), this.notPermitted);
		}

		private void scanNode(RedisClusterAsyncCommands<byte[], byte[]> node, long budget) {
			ScanArgs args = ScanArgs.Builder.limit(this.options.scanCount()).match(this.options.match());
			ScanCursor cursor = ScanCursor.INITIAL;
			long seen = 0;
			while (true) {
				if (seen >= budget) {
					this.stoppedBy = "key-budget";
					return;
				}
				if (System.nanoTime() > this.deadline) {
					this.stoppedBy = "time-limit";
					return;
				}
				KeyScanCursor<byte[]> page = await(node.scan(cursor, args));
				this.scanCalls++;
				List<byte[]> batch = page.getKeys();
				List<RedisFuture<String>> types = new ArrayList<>(batch.size());
				List<RedisFuture<Long>> ttls = new ArrayList<>(batch.size());
				for (byte[] key : batch) {
					types.add(((RedisKeyAsyncCommands<byte[], byte[]>) node).type(key));
					ttls.add(((RedisKeyAsyncCommands<byte[], byte[]>) node).pttl(key));
				}
				for (int i = 0; i < batch.size(); i++) {
					record(node, batch.get(i), types.get(i), ttls.get(i));
				}
				seen += batch.size();
				this.scanned += batch.size();
				if (page.isFinished()) {
					return;
				}
				cursor = page;
			}
		}

		private void record(RedisClusterAsyncCommands<byte[], byte[]> node, byte[] rawKey, RedisFuture<String> type,
				RedisFuture<Long> ttl) {
			String key = new String(rawKey, StandardCharsets.UTF_8);
			String groupName = groupOf(key, this.options.groupSegments());
			if (!this.groups.containsKey(groupName) && this.groups.size() >= this.options.maxGroups()) {
				groupName = OTHER;
			}
			Group group = this.groups.computeIfAbsent(groupName,
					(name) -> new Group(name.startsWith(KeyspaceAnalyzer.this.keys.prefix() + ":")));
			group.keys++;
			try {
				String typeName = await(type);
				Long pttl = await(ttl);
				group.types.merge(typeName, 1L, Long::sum);
				if (pttl != null && pttl == -1) {
					group.withoutTtl++;
				}
				if (this.options.samplePerGroup() > 0 && !"none".equals(typeName)) {
					group.offer(new Sample(node, rawKey, key, typeName), this.options.samplePerGroup());
				}
			}
			catch (RuntimeException ex) {
				if (isNoPermission(ex)) {
					this.notPermitted++;
					return;
				}
				throw ex;
			}
		}

		private List<KeyspaceReport.KeySize> measureSamples() {
			List<KeyspaceReport.KeySize> sizes = new ArrayList<>();
			if (this.options.samplePerGroup() == 0) {
				return sizes;
			}
			List<Sample> samples = new ArrayList<>();
			List<RedisFuture<Long>> usages = new ArrayList<>();
			for (Group group : this.groups.values()) {
				for (Sample sample : group.samples) {
					samples.add(sample);
					usages.add(((RedisServerAsyncCommands<byte[], byte[]>) sample.node).memoryUsage(sample.rawKey));
				}
			}
			for (int i = 0; i < samples.size(); i++) {
				Sample sample = samples.get(i);
				Long bytes;
				try {
					bytes = await(usages.get(i));
				}
				catch (RuntimeException ex) {
					if (isNoPermission(ex)) {
						this.notPermitted++;
						continue;
					}
					throw ex;
				}
				if (bytes != null) {
					String groupName = groupOf(sample.key, this.options.groupSegments());
					Group group = this.groups.containsKey(groupName) ? this.groups.get(groupName) : this.groups.get(OTHER);
					if (group != null) {
						group.sampled++;
						group.sampledBytes += bytes;
					}
					sizes.add(new KeyspaceReport.KeySize(sample.key, groupName, sample.type, bytes));
				}
			}
			return sizes;
		}

		private <T> T await(RedisFuture<T> future) {
			try {
				long remaining = Math.max(TimeUnit.SECONDS.toNanos(2), this.deadline - System.nanoTime());
				return future.get(remaining, TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Keyspace analysis interrupted", ex);
			}
			catch (java.util.concurrent.ExecutionException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				throw (cause instanceof RuntimeException runtime) ? runtime
						: new IllegalStateException(cause.getMessage(), cause);
			}
			catch (java.util.concurrent.TimeoutException ex) {
				throw new io.lettuce.core.RedisCommandTimeoutException("Keyspace analysis: Redis did not answer in time");
			}
		}

	}

	private static boolean isNoPermission(RuntimeException ex) {
		return ex.getMessage() != null && ex.getMessage().startsWith("NOPERM");
	}

	private record Sample(RedisClusterAsyncCommands<byte[], byte[]> node, byte[] rawKey, String key, String type) {
	}

	/** Counts of one group, with a uniform reservoir sample of its keys. */
	private static final class Group {

		private final boolean library;

		private long keys;

		private final Map<String, Long> types = new TreeMap<>();

		private long withoutTtl;

		private final List<Sample> samples = new ArrayList<>();

		private long offered;

		private int sampled;

		private long sampledBytes;

		Group(boolean library) {
			this.library = library;
		}

		void offer(Sample sample, int size) {
			this.offered++;
			if (this.samples.size() < size) {
				this.samples.add(sample);
				return;
			}
			long slot = ThreadLocalRandom.current().nextLong(this.offered);
			if (slot < size) {
				this.samples.set((int) slot, sample);
			}
		}

		KeyspaceReport.PrefixStats stats(String name) {
			long estimated = (this.sampled > 0) ? Math.round((double) this.sampledBytes / this.sampled * this.keys) : 0;
			return new KeyspaceReport.PrefixStats(name, this.library, this.keys, Map.copyOf(this.types), this.withoutTtl,
					this.sampled, this.sampledBytes, estimated);
		}

	}

}
