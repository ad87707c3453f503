package io.redispatterns.lock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.StreamUtils;

/**
 * Acquires locks and then runs {@code WAIT numreplicas timeout} on the same connection, for
 * {@code redis-patterns.lock.wait-for-replicas}. {@code WAIT} blocks its connection, so it runs on
 * a dedicated Lettuce connection (never the shared one), one acquisition at a time; on Cluster on
 * the connection to the master serving the lock's slot. When fewer replicas acknowledge in time,
 * the lock is released again and the acquisition fails with {@link LockUnavailableException}.
 * <p>
 * This narrows the window in which a failover loses a just-acquired lock; it does not close it
 * (replication stays asynchronous, and a lock extended later is not waited for).
 */
final class ReplicaAcknowledgedAcquirer implements AutoCloseable {

	private final LettuceConnectionFactory connectionFactory;

	private final int replicas;

	private final Duration timeout;

	private final String acquireScript;

	private final String releaseScript;

	private final ReentrantLock lock = new ReentrantLock();

	private @Nullable StatefulRedisConnection<String, String> standalone;

	private @Nullable StatefulRedisClusterConnection<String, String> cluster;

	ReplicaAcknowledgedAcquirer(LettuceConnectionFactory connectionFactory, int replicas, Duration timeout) {
		this.connectionFactory = connectionFactory;
		this.replicas = replicas;
		this.timeout = timeout;
		this.acquireScript = read("acquire.lua");
		this.releaseScript = read("release.lua");
	}

	List<?> acquire(String name, LockKeys.Key key, String token, String leaseMillis, String retentionMillis) {
		this.lock.lock();
		try {
			RedisClusterCommands<String, String> commands = commandsFor(key.lock());
			List<?> result = eval(commands, this.acquireScript, new String[] { key.lock(), key.fence() }, token,
					leaseMillis, retentionMillis);
			if (((Number) result.get(0)).longValue() == 1L) {
				long acknowledged = commands.waitForReplication(this.replicas, this.timeout.toMillis());
				if (acknowledged < this.replicas) {
					eval(commands, this.releaseScript, new String[] { key.lock() }, token, key.channel(), "released");
					throw new LockUnavailableException(name, "Lock '" + name + "' was acquired but only " + acknowledged
							+ " of " + this.replicas + " replicas acknowledged it within " + Durations.format(this.timeout)
							+ " (redis-patterns.lock.wait-for-replicas); it was released again");
				}
			}
			return result;
		}
		catch (io.lettuce.core.RedisException ex) {
			throw RedisLockTemplate.unavailable(name, "acquire", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	private static List<?> eval(RedisClusterCommands<String, String> commands, String script, String[] keys,
			String... args) {
		String sha = commands.digest(script);
		Object result;
		try {
			result = commands.evalsha(sha, outputType(script), keys, args);
		}
		catch (RedisNoScriptException ex) {
			result = commands.eval(script, outputType(script), keys, args);
		}
		return (result instanceof List<?> list) ? list : List.of(result);
	}

	private static ScriptOutputType outputType(String script) {
		return script.contains("return {") ? ScriptOutputType.MULTI : ScriptOutputType.INTEGER;
	}

	private RedisClusterCommands<String, String> commandsFor(String lockKey) {
		AbstractRedisClient client = this.connectionFactory.getRequiredNativeClient();
		if (client instanceof RedisClusterClient clusterClient) {
			if (this.cluster == null || !this.cluster.isOpen()) {
				this.cluster = clusterClient.connect(StringCodec.UTF8);
			}
			RedisClusterNode master = this.cluster.getPartitions()
				.getMasterBySlot(SlotHash.getSlot(lockKey.getBytes(StandardCharsets.UTF_8)));
			if (master == null) {
				throw new LockUnavailableException(lockKey, "No Redis Cluster master serves the lock's slot");
			}
			return this.cluster.getConnection(master.getNodeId()).sync();
		}
		if (this.standalone == null || !this.standalone.isOpen()) {
			this.standalone = ((RedisClient) client).connect(StringCodec.UTF8);
			this.standalone.setTimeout(this.connectionFactory.getClientConfiguration().getCommandTimeout().plus(this.timeout));
		}
		RedisCommands<String, String> commands = this.standalone.sync();
		return commands;
	}

	private static String read(String fileName) {
		try {
			return StreamUtils.copyToString(new ClassPathResource(fileName, ReplicaAcknowledgedAcquirer.class)
				.getInputStream(), StandardCharsets.UTF_8);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException("Lua script " + fileName + " is missing from the classpath", ex);
		}
	}

	@Override
	public void close() {
		this.lock.lock();
		try {
			if (this.standalone != null) {
				this.standalone.closeAsync();
			}
			if (this.cluster != null) {
				this.cluster.closeAsync();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

}
