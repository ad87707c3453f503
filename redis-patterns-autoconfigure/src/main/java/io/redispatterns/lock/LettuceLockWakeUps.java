package io.redispatterns.lock;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Wake-ups over one dedicated Lettuce pub/sub connection per application (never the shared
 * command connection), opened on the first wait: {@code SSUBSCRIBE} on a standalone or Sentinel
 * connection, and on a Cluster pub/sub connection, which routes each {@code SSUBSCRIBE} to the
 * node serving the channel's slot (the lock key's slot). Lettuce re-subscribes after a reconnect.
 */
final class LettuceLockWakeUps extends LockWakeUps {

	private static final Log logger = LogFactory.getLog(LettuceLockWakeUps.class);

	private final LettuceConnectionFactory connectionFactory;

	private final ReentrantLock connecting = new ReentrantLock();

	private volatile @Nullable StatefulRedisPubSubConnection<String, String> connection;

	private volatile boolean closed;

	private LettuceLockWakeUps(LettuceConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Returns wake-ups over the factory's Lettuce client, or polling-only wake-ups when the factory
	 * is not a started Lettuce factory.
	 */
	static LockWakeUps of(RedisConnectionFactory connectionFactory) {
		if (connectionFactory instanceof LettuceConnectionFactory lettuce) {
			return new LettuceLockWakeUps(lettuce);
		}
		logger.info("Lock waiters are woken by polling only: the connection factory is not a Lettuce factory");
		return pollingOnly();
	}

	@Override
	CompletableFuture<?> subscribe(String channel) {
		return connection().async().ssubscribe(channel).toCompletableFuture();
	}

	@Override
	void prepare() {
		if (this.connection == null) {
			try {
				connection();
			}
			catch (RuntimeException ex) {
				logger.debug("Could not open the lock wake-up connection; waiters poll until it opens", ex);
			}
		}
	}

	@Override
	void unsubscribe(String channel) {
		StatefulRedisPubSubConnection<String, String> current = this.connection;
		if (current != null && current.isOpen()) {
			current.async().sunsubscribe(channel);
		}
	}

	@Override
	String mode() {
		return "sharded-pubsub";
	}

	private StatefulRedisPubSubConnection<String, String> connection() {
		StatefulRedisPubSubConnection<String, String> current = this.connection;
		if (current != null) {
			return current;
		}
		this.connecting.lock();
		try {
			if (this.closed) {
				throw new IllegalStateException("Lock wake-ups are closed");
			}
			current = this.connection;
			if (current == null) {
				current = connect();
				current.addListener(new RedisPubSubAdapter<>() {

					@Override
					public void smessage(String channel, String message) {
						onMessage(channel);
					}

				});
				this.connection = current;
			}
			return current;
		}
		finally {
			this.connecting.unlock();
		}
	}

	private StatefulRedisPubSubConnection<String, String> connect() {
		AbstractRedisClient client = this.connectionFactory.getRequiredNativeClient();
		if (client instanceof RedisClusterClient cluster) {
			StatefulRedisClusterPubSubConnection<String, String> pubSub = cluster.connectPubSub(StringCodec.UTF8);
			pubSub.setNodeMessagePropagation(true);
			return pubSub;
		}
		if (client instanceof RedisClient standalone) {
			return standalone.connectPubSub(StringCodec.UTF8);
		}
		throw new IllegalStateException("Unsupported Lettuce client " + client.getClass().getName());
	}

	@Override
	public void close() {
		this.connecting.lock();
		try {
			this.closed = true;
			StatefulRedisPubSubConnection<String, String> current = this.connection;
			this.connection = null;
			if (current != null) {
				current.closeAsync();
			}
		}
		finally {
			this.connecting.unlock();
		}
	}

}
