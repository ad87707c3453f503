package io.redispatterns.transaction.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisUnavailableException;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A small pool of connections that only transactions use: {@code WATCH} and {@code MULTI} are
 * states of a connection, which the application's shared connection cannot hold. The connections
 * come from a client of their own that never reconnects (see {@link NonReconnectingClients}): a
 * connection that drops fails its transaction instead of re-sending its commands without the
 * {@code WATCH} and {@code MULTI} the server forgot. Standalone and Sentinel: plain connections
 * (same address, credentials, TLS, database as the application's). Cluster: dedicated cluster
 * connections, each reaching the slot's master over its own node connection.
 */
final class DedicatedConnections implements AutoCloseable {

	private final LettuceConnectionFactory factory;

	private final AbstractRedisClient client;

	private final Semaphore permits;

	private final Duration acquireTimeout;

	private final LinkedBlockingDeque<StatefulConnection<String, String>> idle = new LinkedBlockingDeque<>();

	private volatile boolean closed;

	/**
	 * Creates the pool.
	 * @param factory the factory of the non-reconnecting client, destroyed with the pool
	 * @param size the most connections
	 * @param acquireTimeout the longest wait for a free one
	 */
	DedicatedConnections(LettuceConnectionFactory factory, int size, Duration acquireTimeout) {
		AbstractRedisClient client = factory.getRequiredNativeClient();
		if (!(client instanceof RedisClient) && !(client instanceof RedisClusterClient)) {
			factory.destroy();
			throw new IllegalArgumentException("Unsupported Lettuce client " + client.getClass().getName());
		}
		this.factory = factory;
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
		return borrow(slot, false);
	}

	/**
	 * Borrows a connection.
	 * @param slot the Cluster slot, or -1
	 * @param fresh whether to open a new connection instead of reusing an idle one
	 */
	Lease borrow(int slot, boolean fresh) {
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
		StatefulConnection<String, String> connection = null;
		try {
			connection = fresh ? null : this.idle.pollFirst();
			boolean reused = connection != null;
			while (connection != null && !connection.isOpen()) {
				// dropped while idle: it never comes back by itself
				connection.closeAsync();
				connection = this.idle.pollFirst();
			}
			if (connection == null) {
				connection = open();
				reused = false;
			}
			RedisCommands<String, String> commands = commandsFor(connection, slot);
			if (!commands.getStatefulConnection().isOpen()) {
				// a Cluster connection whose node connection dropped
				connection.closeAsync();
				connection = null; // not closed twice when the next open fails
				connection = open();
				reused = false;
				commands = commandsFor(connection, slot);
			}
			return new Lease(connection, commands, reused);
		}
		catch (RuntimeException ex) {
			if (connection != null) {
				connection.closeAsync();
			}
			this.permits.release();
			// nothing of the transaction was sent yet
			throw RedisFailures.translate("Opening a transaction connection", ex);
		}
	}

	private synchronized StatefulConnection<String, String> open() {
		if (this.closed) {
			throw new RedisUnavailableException("Transactions are closed");
		}
		return (this.client instanceof RedisClusterClient cluster) ? cluster.connect(StringCodec.UTF8)
				: ((RedisClient) this.client).connect(StringCodec.UTF8);
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
		this.idle.clear();
		// shutting the client down closes its connections
		this.factory.destroy();
	}

	/** A borrowed connection. */
	final class Lease {

		private final StatefulConnection<String, String> connection;

		final RedisCommands<String, String> commands;

		/** Whether the connection was idle in the pool (it may have been closed by Redis unnoticed). */
		final boolean reused;

		Lease(StatefulConnection<String, String> connection, RedisCommands<String, String> commands, boolean reused) {
			this.connection = connection;
			this.commands = commands;
			this.reused = reused;
		}

		/** Returns the connection; a broken one (state unknown after a failure) is closed instead. */
		void release(boolean broken) {
			try {
				if (broken || DedicatedConnections.this.closed) {
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
