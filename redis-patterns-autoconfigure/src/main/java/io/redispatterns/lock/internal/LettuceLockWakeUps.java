package io.redispatterns.lock.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.redispatterns.core.ContainerLifecycle;
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
 * <p>
 * The connection is opened on a background thread, never on a waiting thread: a waiter waits for
 * it only as long as it waits for any subscription (bounded by its own wait), then polls; once it
 * opens, the channels that still have waiters are subscribed. Failed attempts are retried while
 * threads wait, after a back-off that doubles from 100 ms up to 30 s.
 */
final class LettuceLockWakeUps extends LockWakeUps {

	private static final Log logger = LogFactory.getLog(LettuceLockWakeUps.class);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

	private final LettuceConnectionFactory connectionFactory;

	private final ReentrantLock connecting = new ReentrantLock();

	private volatile @Nullable StatefulRedisPubSubConnection<String, String> connection;

	private volatile boolean closed;

	private final AtomicBoolean connectInFlight = new AtomicBoolean();

	private volatile CompletableFuture<StatefulRedisPubSubConnection<String, String>> opening = CompletableFuture
		.failedFuture(new IllegalStateException("The lock wake-up connection is not open"));

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

	/**
	 * Subscribes on the open connection; while it is being opened, once it is open (the waiter
	 * waits for that at most as long as it waits for any subscription, bounded by its own wait);
	 * when the last attempt to open it failed, fails at once (the waiter polls).
	 */
	@Override
	CompletableFuture<?> subscribe(String channel) {
		StatefulRedisPubSubConnection<String, String> current = this.connection;
		if (current != null) {
			return current.async().ssubscribe(channel).toCompletableFuture();
		}
		return this.opening.thenCompose((opened) -> opened.async().ssubscribe(channel).toCompletableFuture());
	}

	/** Starts opening the connection in the background, unless it is open or already being opened. */
	@Override
	void prepare() {
		if (this.connection != null || this.closed || !this.connectInFlight.compareAndSet(false, true)) {
			return;
		}
		this.opening = new CompletableFuture<>();
		try {
			Thread thread = new Thread(this::connectInBackground, "redis-patterns-lock-wake-ups-connect");
			thread.setDaemon(true);
			thread.start();
		}
		catch (RuntimeException | Error ex) {
			this.opening.completeExceptionally(ex);
			this.connectInFlight.set(false);
			throw ex;
		}
	}

	/**
	 * Tries to open the connection until it is open, closed, or no thread waits any more, backing off
	 * between attempts; then subscribes the channels whose subscription failed meanwhile.
	 */
	private void connectInBackground() {
		long backOffMillis = 100;
		try {
			while (true) {
				CompletableFuture<StatefulRedisPubSubConnection<String, String>> attempt = this.opening;
				try {
					attempt.complete(connection());
					subscribeAll();
					return;
				}
				catch (RuntimeException ex) {
					attempt.completeExceptionally(ex);
					if (logger.isDebugEnabled()) {
						logger.debug("Could not open the lock wake-up connection; waiters poll, next attempt in "
								+ backOffMillis + " ms", ex);
					}
				}
				if (this.closed || waiting() == 0) {
					return;
				}
				Thread.sleep(backOffMillis);
				backOffMillis = Math.min(backOffMillis * 2, 30_000);
				this.opening = new CompletableFuture<>();
			}
		}
		catch (InterruptedException ex) {
			this.opening.completeExceptionally(ex);
			Thread.currentThread().interrupt();
		}
		finally {
			this.connectInFlight.set(false);
		}
		if (this.connection == null && !this.closed && waiting() > 0) {
			prepare(); // a waiter arrived as this attempt gave up
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
				// closed when the template closes, before the connection factory's client shuts down
				ContainerLifecycle.awaitClosed(current.closeAsync(), CLOSE_TIMEOUT);
			}
		}
		finally {
			this.connecting.unlock();
		}
	}

}
