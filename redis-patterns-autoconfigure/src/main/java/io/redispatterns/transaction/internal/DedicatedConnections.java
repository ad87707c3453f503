package io.redispatterns.transaction.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.redispatterns.core.RedisUnavailableException;

/**
 * A small pool of connections that only transactions use: {@code WATCH} and {@code MULTI} are
 * states of a connection, which the application's shared connection cannot hold. Standalone and
 * Sentinel: connections opened by the application's own Lettuce client (same address, credentials,
 * TLS, database). Cluster: dedicated cluster connections, each reaching the slot's master over its
 * own node connection.
 */
final class DedicatedConnections implements AutoCloseable {

	private final AbstractRedisClient client;

	private final Semaphore permits;

	private final Duration acquireTimeout;

	private final LinkedBlockingDeque<StatefulConnection<String, String>> idle = new LinkedBlockingDeque<>();

	private final List<StatefulConnection<String, String>> all = new ArrayList<>();

	private volatile boolean closed;

	DedicatedConnections(AbstractRedisClient client, int size, Duration acquireTimeout) {
		if (!(client instanceof RedisClient) && !(client instanceof RedisClusterClient)) {
			throw new IllegalArgumentException("Unsupported Lettuce client " + client.getClass().getName());
		}
		this.client = client;
		this.permits = new Semaphore(size, true);
		this.acquireTimeout = acquireTimeout;
	}

	boolean isCluster() {
		return this.client instanceof RedisClusterClient;
	}

	/** The slot of keys, refusing keys of different slots. */
	static int slotOf(Iterable<String> keys) {
		int slot = -1;
		String first = null;
		for (String key : keys) {
			int keySlot = SlotHash.getSlot(key.getBytes(StandardCharsets.UTF_8));
			if (slot == -1) {
				slot = keySlot;
				first = key;
			}
			else if (keySlot != slot) {
				throw new IllegalArgumentException("Keys '" + first + "' (slot " + slot + ") and '" + key + "' (slot "
						+ keySlot + ") are in different Cluster slots: a transaction runs on one master, so give its keys "
						+ "one hash tag, such as {account-42}");
			}
		}
		return slot;
	}

	Lease borrow(int slot) {
		try {
			if (!this.permits.tryAcquire(this.acquireTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new RedisUnavailableException("No transaction connection became free within "
						+ this.acquireTimeout.toMillis() + " ms (redis-patterns.transaction.connections)");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisUnavailableException("Interrupted while waiting for a transaction connection", ex);
		}
		try {
			StatefulConnection<String, String> connection = this.idle.pollFirst();
			if (connection == null || !connection.isOpen()) {
				connection = open();
			}
			return new Lease(connection, commandsFor(connection, slot));
		}
		catch (RuntimeException ex) {
			this.permits.release();
			throw ex;
		}
	}

	private synchronized StatefulConnection<String, String> open() {
		if (this.closed) {
			throw new RedisUnavailableException("Transactions are closed");
		}
		StatefulConnection<String, String> connection = (this.client instanceof RedisClusterClient cluster)
				? cluster.connect(StringCodec.UTF8) : ((RedisClient) this.client).connect(StringCodec.UTF8);
		this.all.add(connection);
		return connection;
	}

	@SuppressWarnings("unchecked")
	private static RedisCommands<String, String> commandsFor(StatefulConnection<String, String> connection, int slot) {
		if (connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
			RedisClusterNode master = cluster.getPartitions().getMasterBySlot(slot);
			if (master == null) {
				throw new RedisUnavailableException("No master serves slot " + slot);
			}
			return ((StatefulRedisConnection<String, String>) cluster.getConnection(master.getNodeId())).sync();
		}
		return ((StatefulRedisConnection<String, String>) connection).sync();
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		for (StatefulConnection<String, String> connection : this.all) {
			connection.closeAsync();
		}
		this.all.clear();
		this.idle.clear();
	}

	/** A borrowed connection. */
	final class Lease {

		private final StatefulConnection<String, String> connection;

		final RedisCommands<String, String> commands;

		Lease(StatefulConnection<String, String> connection, RedisCommands<String, String> commands) {
			this.connection = connection;
			this.commands = commands;
		}

		/** Returns the connection; a broken one (state unknown after a failure) is closed instead. */
		void release(boolean broken) {
			try {
				if (broken || DedicatedConnections.this.closed) {
					synchronized (DedicatedConnections.this) {
						DedicatedConnections.this.all.remove(this.connection);
					}
					this.connection.closeAsync();
				}
				else {
					DedicatedConnections.this.idle.offerFirst(this.connection);
				}
			}
			finally {
				DedicatedConnections.this.permits.release();
			}
		}

	}

}
