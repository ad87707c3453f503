package io.redispatterns.lock.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.redispatterns.core.ContainerLifecycle;
import io.redispatterns.core.LettuceScripts;
import io.redispatterns.lock.LockUnavailableException;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Acquires locks and then runs {@code WAIT numreplicas timeout} on the same connection, for
 * {@code redis-patterns.lock.wait-for-replicas}. {@code WAIT} blocks its connection, so it runs on
 * a dedicated Lettuce connection (never the shared one), one acquisition at a time; on Cluster on
 * the connection to the master serving the lock's slot. Both connections get a command timeout of
 * the client's command timeout plus the {@code WAIT} timeout. When fewer replicas acknowledge in
 * time, or anything fails once the acquisition script was sent (a {@code WAIT} that throws, a
 * client-side timeout, a dropped connection), the lock is released again (owner-checked, on the
 * application's shared connection) and the acquisition fails with {@link LockUnavailableException};
 * after a failure the dedicated connection is closed and opened again on the next acquisition.
 * <p>
 * An acquisition waits for the dedicated connection at most its remaining wait plus the command
 * timeout (interruptibly); when it does not get it in time, or is interrupted (the interrupt status is
 * kept), the attempt counts as not acquired, like a busy lock.
 * <p>
 * This narrows the window in which a failover loses a just-acquired lock; it does not close it
 * (replication stays asynchronous, and a lock extended later is not waited for).
 */
final class ReplicaAcknowledgedAcquirer implements AutoCloseable {

	/** Reply of an attempt that did not get to run: not acquired, holder's time to live unknown. */
	static final List<Long> NOT_ATTEMPTED = List.of(0L, -1L);

	private final LettuceConnectionFactory connectionFactory;

	private final int replicas;

	private final Duration timeout;

	private final ReentrantLock lock = new ReentrantLock();

	private @Nullable StatefulRedisConnection<String, String> standalone;

	private @Nullable StatefulRedisClusterConnection<String, String> cluster;

	ReplicaAcknowledgedAcquirer(LettuceConnectionFactory connectionFactory, int replicas, Duration timeout) {
		this.connectionFactory = connectionFactory;
		this.replicas = replicas;
		this.timeout = timeout;
	}

	/**
	 * Runs the acquisition script and {@code WAIT}.
	 * @param waitNanos how long the caller may still wait for the lock ({@code Long.MAX_VALUE}: no
	 * limit); bounds, with the command timeout, the wait for the dedicated connection
	 * @param release releases the lock if the script acquired it, on another connection
	 * @return the script's reply, or {@link #NOT_ATTEMPTED}
	 */
	List<?> acquire(String name, LockKeys.Key key, String token, String leaseMillis, String waits,
			long waitNanos, Runnable release) {
		long commandTimeout = commandTimeout().toNanos();
		long bound = (waitNanos > Long.MAX_VALUE - commandTimeout) ? Long.MAX_VALUE : waitNanos + commandTimeout;
		try {
			if (!this.lock.tryLock(bound, TimeUnit.NANOSECONDS)) {
				return NOT_ATTEMPTED;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return NOT_ATTEMPTED;
		}
		boolean sent = false;
		try {
			RedisClusterCommands<String, String> commands = commandsFor(key.lock());
			sent = true;
			List<?> result = acquire(commands, new String[] { key.lock() }, token, leaseMillis, waits);
			if (((Number) result.get(0)).longValue() == 1L) {
				long acknowledged = commands.waitForReplication(this.replicas, this.timeout.toMillis());
				if (acknowledged < this.replicas) {
					throw new LockUnavailableException(name, "Lock '" + name + "' was acquired but only " + acknowledged
							+ " of " + this.replicas + " replicas acknowledged it within " + Durations.format(this.timeout)
							+ " (redis-patterns.lock.wait-for-replicas); it was released again");
				}
			}
			return result;
		}
		catch (RuntimeException ex) {
			LockUnavailableException failure = (ex instanceof LockUnavailableException unavailable) ? unavailable
					: LockCommands.unavailable(name, "acquire", ex);
			if (!(ex instanceof LockUnavailableException)) {
				// The connection may still be blocked in WAIT (or broken): start afresh next time.
				reset();
			}
			if (sent) {
				try {
					release.run();
				}
				catch (RuntimeException releaseFailure) {
					failure.addSuppressed(releaseFailure);
				}
			}
			throw failure;
		}
		finally {
			this.lock.unlock();
		}
	}

	private Duration commandTimeout() {
		return this.connectionFactory.getClientConfiguration().getCommandTimeout();
	}

	private void reset() {
		if (this.standalone != null) {
			this.standalone.closeAsync();
			this.standalone = null;
		}
		if (this.cluster != null) {
			this.cluster.closeAsync();
			this.cluster = null;
		}
	}

	private static List<?> acquire(RedisClusterCommands<String, String> commands, String[] keys, String... args) {
		List<?> result = LettuceScripts.run(commands, LockCommands.ACQUIRE, keys, args);
		return (result != null) ? result : List.of();
	}

	private RedisClusterCommands<String, String> commandsFor(String lockKey) {
		AbstractRedisClient client = this.connectionFactory.getRequiredNativeClient();
		if (client instanceof RedisClusterClient clusterClient) {
			if (this.cluster == null || !this.cluster.isOpen()) {
				this.cluster = clusterClient.connect(StringCodec.UTF8);
				this.cluster.setTimeout(commandTimeout().plus(this.timeout));
			}
			RedisClusterNode master = this.cluster.getPartitions()
				.getMasterBySlot(SlotHash.getSlot(lockKey.getBytes(StandardCharsets.UTF_8)));
			if (master == null) {
				throw new LockUnavailableException(lockKey, "No Redis Cluster master serves the lock's slot");
			}
			StatefulRedisConnection<String, String> node = this.cluster.getConnection(master.getNodeId());
			node.setTimeout(commandTimeout().plus(this.timeout));
			return node.sync();
		}
		if (this.standalone == null || !this.standalone.isOpen()) {
			this.standalone = ((RedisClient) client).connect(StringCodec.UTF8);
			this.standalone.setTimeout(commandTimeout().plus(this.timeout));
		}
		RedisCommands<String, String> commands = this.standalone.sync();
		return commands;
	}

	@Override
	public void close() {
		this.lock.lock();
		try {
			// waits for the close: the connection factory's client shuts down next and would close them again
			if (this.standalone != null) {
				ContainerLifecycle.awaitClosed(this.standalone.closeAsync(), commandTimeout());
			}
			if (this.cluster != null) {
				ContainerLifecycle.awaitClosed(this.cluster.closeAsync(), commandTimeout());
			}
		}
		finally {
			this.lock.unlock();
		}
	}

}
