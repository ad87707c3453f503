package io.redispatterns.cache.internal;

import java.util.function.Supplier;

import io.redispatterns.core.ContainerLifecycle;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Ends the cache's connections of its own when the application stops, in the
 * {@linkplain ContainerLifecycle#CONNECTIONS_PHASE connections' phase}: the near caches' tracking and the loader
 * wake-up subscription, before the Redis connection factory stops (phase 0) and closes them under them, which would
 * otherwise be reported as a lost tracking (the heartbeat reconnecting on a stopped client) and make the later close
 * warn that the connection is already closed. The near caches are not started again by a later {@link #start()}:
 * without tracking, reads go to Redis; without the subscription, waiting loaders poll.
 */
public final class NearCachesLifecycle implements SmartLifecycle {

	private final Supplier<@Nullable RedisCacheTemplate> template;

	private volatile boolean running;

	/**
	 * Creates the lifecycle.
	 * @param template the template whose near caches to end (none: nothing to do)
	 */
	public NearCachesLifecycle(Supplier<@Nullable RedisCacheTemplate> template) {
		this.template = template;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		RedisCacheTemplate current = this.template.get();
		if (current != null) {
			current.nearCaches().close();
			current.runtime().wakeUps().destroy();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ContainerLifecycle.CONNECTIONS_PHASE;
	}

}
