package io.redispatterns.lock.internal;

import java.util.function.Supplier;

import io.redispatterns.core.ContainerLifecycle;
import io.redispatterns.lock.LockTemplate;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Closes the library's lock template when the application stops, in the
 * {@linkplain ContainerLifecycle#CONNECTIONS_PHASE connections' phase}: its wake-up pub/sub connection and its
 * replica-acknowledged connection come from the application's Lettuce client, which the Redis connection factory
 * shuts down when it stops (phase 0), closing them; closed only when the template is destroyed, after that, Lettuce
 * would warn that each is already closed. Lock waiters after this poll, and leases are no longer renewed. A lock
 * template of another kind than the builder's is left alone.
 */
public final class LockTemplateLifecycle implements SmartLifecycle {

	private final Supplier<@Nullable LockTemplate> template;

	private volatile boolean running;

	/**
	 * Creates the lifecycle.
	 * @param template the application's lock template (none: nothing to do)
	 */
	public LockTemplateLifecycle(Supplier<@Nullable LockTemplate> template) {
		this.template = template;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.template.get() instanceof RedisLockTemplate redis) {
			redis.close();
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
