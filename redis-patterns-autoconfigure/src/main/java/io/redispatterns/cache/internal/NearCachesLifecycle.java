package io.redispatterns.cache.internal;

import java.util.function.Supplier;

import io.redispatterns.core.ContainerLifecycle;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Ends the near caches' tracking when the application stops, in the {@linkplain ContainerLifecycle#PHASE
 * containers' phase}: before the Redis connection factory stops (phase 0) and closes the tracking connection
 * under it, which would otherwise be reported as a lost tracking and make the heartbeat reconnect on a
 * stopped client. The near caches are not started again by a later {@link #start()}: without tracking,
 * reads go to Redis.
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
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ContainerLifecycle.PHASE;
	}

}
