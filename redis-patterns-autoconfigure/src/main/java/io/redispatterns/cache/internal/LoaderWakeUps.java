package io.redispatterns.cache.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Wake-ups of the callers waiting for another instance's loader: the loader's fenced write (or its
 * release without a value) publishes the value key on {@code <prefix>:cache:written}; one subscription
 * per template, started in the background on first need, completes the waiter's signal. Until it
 * listens, or when a message is lost, waiters fall back to a bounded poll ({@link #MAX_POLL_MILLIS}).
 */
final class LoaderWakeUps {

	// logged under the template's name, as before the template was split
	private static final Log logger = LogFactory.getLog(RedisCacheTemplate.class);

	static final long MAX_POLL_MILLIS = 200;

	private final RedisConnectionFactory connectionFactory;

	private final String channel;

	private final Map<String, CompletableFuture<Void>> wakeUps = new ConcurrentHashMap<>();

	private final Object subscriptionMonitor = new Object();

	private volatile @Nullable RedisMessageListenerContainer subscription;

	private volatile boolean subscriptionStarted;

	private boolean destroyed;

	LoaderWakeUps(RedisConnectionFactory connectionFactory, String channel) {
		this.connectionFactory = connectionFactory;
		this.channel = channel;
	}

	String channel() {
		return this.channel;
	}

	void awaitWakeUp(String valueKey, long maxMillis) {
		ensureSubscribed();
		CompletableFuture<Void> signal = this.wakeUps.computeIfAbsent(valueKey, (key) -> new CompletableFuture<>());
		try {
			signal.get(maxMillis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			// stop waiting: the caller is being cancelled (the flag stays set for it to see)
			Thread.currentThread().interrupt();
			throw new DistributedLoader.WaitInterruptedException(valueKey, ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			// fall through to the poll
		}
		finally {
			// also when the wait timed out: no PUBLISH may ever come for this key (one waiter per key
			// and JVM, since callers coalesce first)
			this.wakeUps.remove(valueKey, signal);
		}
	}

	/**
	 * Starts the wake-up subscription in the background on first need; until it is listening,
	 * waiters fall back to polling.
	 */
	void ensureSubscribed() {
		if (this.subscriptionStarted) {
			return;
		}
		synchronized (this.subscriptionMonitor) {
			if (this.subscriptionStarted) {
				return;
			}
			this.subscriptionStarted = true;
			Thread starter = new Thread(this::subscribe, "redis-patterns-cache-subscribe");
			starter.setDaemon(true);
			starter.start();
		}
	}

	private void subscribe() {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		try {
			container.setConnectionFactory(this.connectionFactory);
			container.setRecoveryInterval(1000);
			container.setMaxSubscriptionRegistrationWaitingTime(2000);
			container.addMessageListener((message, pattern) -> {
				String key = new String(message.getBody(), StandardCharsets.UTF_8);
				CompletableFuture<Void> signal = this.wakeUps.remove(key);
				if (signal != null) {
					signal.complete(null);
				}
			}, new ChannelTopic(this.channel));
			container.afterPropertiesSet();
			synchronized (this.subscriptionMonitor) {
				if (this.destroyed) {
					return;
				}
				this.subscription = container;
			}
			container.start();
		}
		catch (RuntimeException ex) {
			logger.info("Cache wake-ups are unavailable (" + ex.getMessage() + "); waiters poll instead");
		}
	}

	/**
	 * The signal that a value key was written (or its loader gave up), completed by the wake-up
	 * subscription. A caller that stops waiting removes it with {@link #forgetWakeUp}.
	 */
	CompletableFuture<Void> wakeUp(String valueKey) {
		ensureSubscribed();
		return this.wakeUps.computeIfAbsent(valueKey, (key) -> new CompletableFuture<>());
	}

	void forget(String valueKey, CompletableFuture<Void> signal) {
		this.wakeUps.remove(valueKey, signal);
	}

	/** The value keys whose wake-up this instance waits for (for tests). */
	Set<String> pending() {
		return Set.copyOf(this.wakeUps.keySet());
	}

	/** Stops the subscription (without holding up the shutdown for one still being established). */
	void destroy() {
		RedisMessageListenerContainer container;
		synchronized (this.subscriptionMonitor) {
			this.destroyed = true;
			container = this.subscription;
			// stopped once: when the application stops (before the connection factory), not again when destroyed
			this.subscription = null;
		}
		if (container != null) {
			// never let a subscription that is still being established hold up the shutdown
			Thread stopper = new Thread(() -> {
				try {
					container.destroy();
				}
				catch (Exception ex) {
					logger.debug("Cannot stop the cache wake-up subscription", ex);
				}
			}, "redis-patterns-cache-unsubscribe");
			stopper.setDaemon(true);
			stopper.start();
			try {
				stopper.join(2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
