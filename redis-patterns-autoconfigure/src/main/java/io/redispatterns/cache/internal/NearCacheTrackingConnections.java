package io.redispatterns.cache.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.TrackingInfo;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.push.RedisClusterPushListener;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import org.jspecify.annotations.Nullable;

/**
 * The connections of one tracking session: on a single server (also behind Sentinel, where Lettuce asks the
 * Sentinels for the master on every connect) one connection, on Redis Cluster one per master as the topology
 * was when it connected. Every command waits at most {@value #COMMAND_TIMEOUT_MILLIS} ms; a failure is an
 * {@link IllegalStateException}, after which the session is {@link #close() closed} and a new one opened.
 */
final class NearCacheTrackingConnections {

	static final long COMMAND_TIMEOUT_MILLIS = 2000;

	/** The connection that was opened and is closed; on Cluster it owns the per-master connections. */
	private final StatefulConnection<String, String> root;

	private final List<StatefulRedisConnection<String, String>> masters;

	private NearCacheTrackingConnections(StatefulConnection<String, String> root,
			List<StatefulRedisConnection<String, String>> masters) {
		this.root = root;
		this.masters = List.copyOf(masters);
	}

	/**
	 * Connects; a session left half-made (a Cluster node that failed) is closed before the failure is thrown.
	 * @param client Lettuce's client for a single server (or Sentinel) or for Redis Cluster
	 * @param onPush told every push message (the invalidations), on Lettuce's I/O threads
	 * @param stateListener told when a connection to a master closes or connects again
	 * @return the connections, or {@code null} when the client is neither of Lettuce's two
	 */
	static @Nullable NearCacheTrackingConnections open(AbstractRedisClient client, Consumer<PushMessage> onPush,
			RedisConnectionStateListener stateListener) {
		if (client instanceof RedisClusterClient clusterClient) {
			StatefulRedisClusterConnection<String, String> cluster = clusterClient.connect(StringCodec.UTF8);
			try {
				cluster.addListener((RedisClusterPushListener) (node, message) -> onPush.accept(message));
				List<StatefulRedisConnection<String, String>> masters = new ArrayList<>();
				for (RedisClusterNode node : cluster.getPartitions()) {
					if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
						StatefulRedisConnection<String, String> connection = cluster.getConnection(node.getNodeId());
						connection.addListener(stateListener);
						masters.add(connection);
					}
				}
				return new NearCacheTrackingConnections(cluster, masters);
			}
			catch (RuntimeException ex) {
				cluster.closeAsync();
				throw ex;
			}
		}
		if (client instanceof RedisClient standalone) {
			StatefulRedisConnection<String, String> connection = standalone.connect(StringCodec.UTF8);
			connection.addListener((PushListener) onPush::accept);
			connection.addListener(stateListener);
			return new NearCacheTrackingConnections(connection, List.of(connection));
		}
		return null;
	}

	/** The protocol of a connection that does not speak RESP3 (no invalidations reach it), or {@code null}. */
	@Nullable ProtocolVersion protocolWithoutPushes() {
		for (StatefulRedisConnection<String, String> connection : this.masters) {
			if (connection instanceof StatefulRedisConnectionImpl<?, ?> impl
					&& impl.getConnectionState().getNegotiatedProtocolVersion() != ProtocolVersion.RESP3) {
				return impl.getConnectionState().getNegotiatedProtocolVersion();
			}
		}
		return null;
	}

	boolean hasMasters() {
		return !this.masters.isEmpty();
	}

	/** Switches broadcast tracking of the prefixes on, on every master: off first, as Redis refuses a prefix already tracked. */
	void switchOn(String[] prefixes) {
		TrackingArgs on = new TrackingArgs().enabled(true).bcast().prefixes(prefixes);
		for (StatefulRedisConnection<String, String> connection : this.masters) {
			await(connection.async().clientTracking(new TrackingArgs().enabled(false)));
			await(connection.async().clientTracking(on));
		}
	}

	/** Whether Redis reports the tracking on for every master ({@code CLIENT TRACKINGINFO}). */
	boolean trackingIsOn() {
		for (StatefulRedisConnection<String, String> connection : this.masters) {
			TrackingInfo info = await(connection.async().clientTrackinginfo());
			if (!info.getFlags().contains(TrackingInfo.TrackingFlag.ON)) {
				return false;
			}
		}
		return true;
	}

	/** Client id by the server address each connection is connected to ({@code laddr} of {@code CLIENT INFO}). */
	Map<String, Long> clients() {
		Map<String, Long> clients = new LinkedHashMap<>();
		for (StatefulRedisConnection<String, String> connection : this.masters) {
			String info = await(connection.async().clientInfo());
			String id = null;
			String address = null;
			for (String field : info.trim().split(" ")) {
				if (field.startsWith("id=")) {
					id = field.substring(3);
				}
				else if (field.startsWith("laddr=")) {
					address = field.substring(6);
				}
			}
			clients.put(String.valueOf(address), Long.parseLong(String.valueOf(id)));
		}
		return clients;
	}

	CompletableFuture<Void> close() {
		return this.root.closeAsync();
	}

	private static <T> T await(Future<T> future) {
		try {
			return future.get(COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new IllegalStateException(String.valueOf(cause.getMessage()), cause);
		}
		catch (TimeoutException ex) {
			future.cancel(false);
			throw new IllegalStateException("no reply within " + COMMAND_TIMEOUT_MILLIS + " ms", ex);
		}
	}

}
