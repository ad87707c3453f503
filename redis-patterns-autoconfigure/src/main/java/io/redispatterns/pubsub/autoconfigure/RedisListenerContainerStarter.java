package io.redispatterns.pubsub.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.redispatterns.core.RedisFailures;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Starts the application's {@link RedisMessageListenerContainer}s (Spring Boot's, behind {@code @RedisListener})
 * so that the application starts while Redis is unreachable. A container started while Redis cannot be reached
 * fails its start, which would stop the application context; this starter takes over the start of every
 * container that would start automatically, and when Redis is unreachable keeps retrying in the background
 * every {@code redis-patterns.pubsub.reconnect.max} until the subscriptions are in place.
 */
final class RedisListenerContainerStarter implements BeanPostProcessor, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisListenerContainerStarter.class);

	/** Whether each container taken over has subscribed, by bean name. */
	private final Map<String, Boolean> subscribed = new LinkedHashMap<>();

	private final Map<String, RedisMessageListenerContainer> containers = new LinkedHashMap<>();

	private final Duration retryInterval;

	private volatile @Nullable ScheduledExecutorService retries;

	private volatile boolean running;

	RedisListenerContainerStarter(Duration retryInterval) {
		this.retryInterval = retryInterval;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof RedisMessageListenerContainer container && container.isAutoStartup()) {
			container.setAutoStartup(false);
			synchronized (this.subscribed) {
				this.containers.put(beanName, container);
				this.subscribed.put(beanName, false);
			}
		}
		return bean;
	}

	@Override
	public void start() {
		this.running = true;
		Map<String, RedisMessageListenerContainer> all;
		synchronized (this.subscribed) {
			all = new LinkedHashMap<>(this.containers);
		}
		all.forEach(this::tryStart);
	}

	private void tryStart(String name, RedisMessageListenerContainer container) {
		if (!this.running) {
			return;
		}
		try {
			container.start();
			synchronized (this.subscribed) {
				this.subscribed.put(name, true);
			}
		}
		catch (RuntimeException ex) {
			if (!RedisFailures.isRedisFault(ex)) {
				throw ex;
			}
			// the failed start left the container marked as started: stop it so that the next start subscribes
			container.stop();
			logger.warn("Redis listener container '" + name + "' could not subscribe (Redis unreachable: "
					+ rootMessage(ex) + "); retrying every " + this.retryInterval.toMillis() + "ms");
			retries().schedule(() -> tryStart(name, container), this.retryInterval.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private synchronized ScheduledExecutorService retries() {
		ScheduledExecutorService executor = this.retries;
		if (executor == null) {
			executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "redis-listener-container-start");
				thread.setDaemon(true);
				return thread;
			});
			this.retries = executor;
		}
		return executor;
	}

	@Override
	public void stop() {
		this.running = false;
		ScheduledExecutorService executor;
		synchronized (this) {
			executor = this.retries;
			this.retries = null;
		}
		if (executor != null) {
			executor.shutdownNow();
		}
		Map<String, RedisMessageListenerContainer> all;
		synchronized (this.subscribed) {
			all = new LinkedHashMap<>(this.containers);
		}
		all.values().forEach(RedisMessageListenerContainer::stop);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Same phase as the containers (last to start, first to stop). */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

	/**
	 * Whether each container taken over has subscribed, by bean name.
	 * @return a snapshot
	 */
	Map<String, Boolean> subscribed() {
		synchronized (this.subscribed) {
			return new LinkedHashMap<>(this.subscribed);
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return String.valueOf(root.getMessage());
	}

}
