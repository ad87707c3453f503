package io.redispatterns.cache.internal;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.redispatterns.core.ContainerLifecycle;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The dedicated RESP3 connection (on Redis Cluster: one per master) on which Redis reports every change
 * of a key under the near caches' prefixes: {@code CLIENT TRACKING ON BCAST PREFIX <cache namespace>...}.
 * Broadcast mode needs no read on this connection, so the application's shared connection keeps serving
 * every command.
 * <p>
 * The near caches may serve copies only while the tracking is known to be on. So the copies are dropped
 * ({@link Events#lost}) when the connection closes, when a heartbeat ({@code CLIENT TRACKINGINFO}, every
 * second) fails or finds the tracking off (a reconnect that went unnoticed), and tracking is switched on
 * again (off, then on) by the heartbeat; only after Redis confirmed it does {@link Events#established} let
 * the copies be served again. A heartbeat or a switch that fails closes the connection, so the next one
 * connects afresh (on Cluster with the topology as it is then). The heartbeat's reply also proves that every invalidation sent before it
 * was handled: Redis writes both to the same connection, in order.
 * <p>
 * This class decides when the copies are trusted; {@link NearCacheTrackingConnections} holds the connections
 * and runs the commands on them.
 */
final class NearCacheTracking {

	// logged under the template's name, like the rest of the cache
	private static final Log logger = LogFactory.getLog(RedisCacheTemplate.class);

	static final long HEARTBEAT_MILLIS = 1000;

	private final RedisConnectionFactory connectionFactory;

	private final String[] prefixes;

	private final Events events;

	private final ScheduledExecutorService heartbeats;

	/** Held while connecting and switching tracking on; never waited for without a bound. */
	private final ReentrantLock connecting = new ReentrantLock();

	private @Nullable NearCacheTrackingConnections connections;

	private volatile boolean established;

	private volatile boolean closed;

	private boolean unsupportedReported;

	/** Orders losing and establishing the tracking, and counts the losses. */
	private final Object stateMonitor = new Object();

	private long losses;

	/** When a heartbeat last failed ({@link System#nanoTime()}; 0: never). */
	private volatile long lastFailureNanos;

	private final RedisConnectionStateListener stateListener = new RedisConnectionStateListener() {

		@Override
		public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
			lose("the tracking connection closed");
			// Lettuce reconnects by itself; the next heartbeat switches tracking on again
			heartbeatSoon();
		}

		@Override
		public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
			heartbeatSoon();
		}

	};

	/** What the near caches are told. Called on Lettuce's I/O threads or the heartbeat thread: must not block. */
	interface Events {

		/** Keys that changed in Redis; {@code null} when the whole database was flushed. */
		void invalidated(@Nullable List<String> keys);

		/** The tracking can no longer be trusted: drop every copy, serve none. */
		void lost(String reason);

		/** The tracking is on again: copies may be stored and served. */
		void established();

	}

	NearCacheTracking(RedisConnectionFactory connectionFactory, List<String> prefixes, Events events) {
		this.connectionFactory = connectionFactory;
		this.prefixes = prefixes.toArray(String[]::new);
		this.events = events;
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "redis-patterns-near-cache-tracking");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		this.heartbeats = scheduler;
	}

	void start() {
		this.heartbeats.scheduleWithFixedDelay(this::heartbeat, 0, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
	}

	boolean isEstablished() {
		return this.established;
	}

	/**
	 * The tracking connections as Redis sees them (for tests): client id by the server address it is
	 * connected to ({@code laddr} of {@code CLIENT INFO}).
	 */
	Map<String, Long> clients() {
		this.connecting.lock();
		try {
			NearCacheTrackingConnections current = this.connections;
			return (current != null) ? current.clients() : Map.of();
		}
		finally {
			this.connecting.unlock();
		}
	}

	void close() {
		this.closed = true;
		// interrupts a connect or a command in flight: Lettuce's connect waits without a bound
		this.heartbeats.shutdownNow();
		boolean locked = false;
		try {
			locked = this.connecting.tryLock(NearCacheTrackingConnections.COMMAND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			// without the lock, a heartbeat still connecting closes what it opens (it sees closed); waits for the
			// close, as the connection factory's client shuts down next and would close it a second time
			ContainerLifecycle.awaitClosed(closeConnection(),
					Duration.ofMillis(NearCacheTrackingConnections.COMMAND_TIMEOUT_MILLIS));
		}
		finally {
			if (locked) {
				this.connecting.unlock();
			}
		}
		lose("closed");
	}

	private CompletableFuture<?> closeConnection() {
		NearCacheTrackingConnections current = this.connections;
		this.connections = null;
		return (current != null) ? current.close() : CompletableFuture.completedFuture(null);
	}

	private void heartbeatSoon() {
		try {
			this.heartbeats.execute(this::heartbeatUnlessJustFailed);
		}
		catch (RuntimeException ex) {
			// shut down: the application is stopping
		}
	}

	/**
	 * A heartbeat asked for by a connection event. Not right after a failed one: connecting fires such events
	 * itself, and a server that refuses tracking (an ACL without {@code client|tracking}) would otherwise be
	 * asked again at once, in a loop; the scheduled heartbeat tries again within a second.
	 */
	private void heartbeatUnlessJustFailed() {
		long failed = this.lastFailureNanos;
		if (failed != 0 && System.nanoTime() - failed < TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MILLIS)) {
			return;
		}
		heartbeat();
	}

	private void heartbeat() {
		this.connecting.lock();
		try {
			if (this.closed) {
				return;
			}
			try {
				if (this.connections == null && !connect()) {
					return;
				}
				if (this.closed) {
					closeConnection();
					return;
				}
				if (this.established && !connections().trackingIsOn()) {
					lose("tracking was off on the tracking connection (it was re-established)");
				}
				if (!this.established) {
					enable();
				}
			}
			catch (RuntimeException ex) {
				this.lastFailureNanos = System.nanoTime();
				if (String.valueOf(ex.getMessage()).contains("NOPERM")) {
					reportUnsupported("the Redis user may not switch client tracking on (" + ex.getMessage()
							+ "); an ACL rule needs +client|tracking +client|trackinginfo");
				}
				lose("the tracking connection failed (" + ex.getMessage() + ")");
				// start over: on Cluster a failed master is replaced, and a fresh connection reads the new topology
				closeConnection();
			}
		}
		finally {
			this.connecting.unlock();
		}
	}

	private boolean connect() {
		AbstractRedisClient client = (this.connectionFactory instanceof LettuceConnectionFactory lettuce)
				? lettuce.getRequiredNativeClient() : null;
		NearCacheTrackingConnections opened = (client != null)
				? NearCacheTrackingConnections.open(client, this::onPush, this.stateListener) : null;
		if (opened == null) {
			reportUnsupported("the Redis client is not Lettuce's");
			return false;
		}
		this.connections = opened;
		ProtocolVersion protocol = opened.protocolWithoutPushes();
		if (protocol != null) {
			reportUnsupported("the connection speaks " + protocol
					+ ", invalidations need RESP3 (Redis 6 or later, Lettuce's default protocol)");
			closeConnection();
			this.heartbeats.shutdown();
			return false;
		}
		return true;
	}

	private void enable() {
		long lossesBefore;
		synchronized (this.stateMonitor) {
			lossesBefore = this.losses;
		}
		NearCacheTrackingConnections current = connections();
		if (!current.hasMasters()) {
			closeConnection();
			throw new IllegalStateException("no master to track");
		}
		current.switchOn(this.prefixes);
		synchronized (this.stateMonitor) {
			// a loss while switching on (the connection dropped after its reply) wins: the next heartbeat retries
			if (this.losses == lossesBefore) {
				this.established = true;
				this.events.established();
			}
		}
	}

	private NearCacheTrackingConnections connections() {
		NearCacheTrackingConnections current = this.connections;
		if (current == null) {
			throw new IllegalStateException("not connected");
		}
		return current;
	}

	private void lose(String reason) {
		boolean wasEstablished;
		synchronized (this.stateMonitor) {
			this.losses++;
			wasEstablished = this.established;
			this.established = false;
			this.events.lost(reason);
		}
		if (wasEstablished && !this.closed) {
			logger.info("Near caches cleared and bypassed until Redis client tracking is on again: " + reason);
		}
	}

	private void onPush(PushMessage message) {
		if (!"invalidate".equals(message.getType())) {
			return;
		}
		List<Object> content = message.getContent(StringCodec.UTF8::decodeKey);
		Object keys = (content.size() > 1) ? content.get(1) : null;
		if (keys instanceof List<?> list) {
			List<String> changed = new ArrayList<>(list.size());
			for (Object key : list) {
				changed.add(String.valueOf(key));
			}
			this.events.invalidated(changed);
		}
		else {
			// FLUSHDB / FLUSHALL: every key is gone
			this.events.invalidated(null);
		}
	}

	private void reportUnsupported(String why) {
		if (!this.unsupportedReported) {
			this.unsupportedReported = true;
			logger.warn("Near caches stay off: " + why);
		}
	}

}
