package io.redispatterns.core;

import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import reactor.core.Disposable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * Tells whether Lettuce is currently trying to reconnect a lost connection, from the events of
 * its event bus: a reconnect attempt (or failure) after the last activated connection means Redis
 * was lost. A caller that gave up waiting for a command at its own timeout uses it to tell
 * "Redis is gone" (count it against Redis) from "Redis, or this application, is slow" (do not).
 * A connection closed on purpose triggers no reconnect, so it never looks like a lost one.
 */
public final class RedisReconnectWatch implements AutoCloseable {

	private static final RedisReconnectWatch NONE = new RedisReconnectWatch();

	private static final boolean lettucePresent = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			RedisReconnectWatch.class.getClassLoader());

	private final Disposable subscription;

	private volatile long lastReconnecting;

	private volatile long lastActivated;

	private RedisReconnectWatch() {
		this.subscription = () -> {
		};
	}

	private RedisReconnectWatch(ClientResources resources) {
		this.subscription = resources.eventBus().get().subscribe((event) -> {
			if (event instanceof ReconnectAttemptEvent || event instanceof ReconnectFailedEvent) {
				this.lastReconnecting = System.nanoTime();
			}
			else if (event instanceof ConnectionActivatedEvent) {
				this.lastActivated = System.nanoTime();
			}
		});
	}

	/**
	 * Watches the client of a connection factory.
	 * @param connectionFactory the application's connection factory
	 * @return a watch; one that never reports reconnecting for a client other than Lettuce
	 */
	public static RedisReconnectWatch of(RedisConnectionFactory connectionFactory) {
		if (lettucePresent && connectionFactory instanceof LettuceConnectionFactory lettuce
				&& lettuce.getClientResources() != null) {
			return new RedisReconnectWatch(lettuce.getClientResources());
		}
		return NONE;
	}

	/**
	 * Returns whether a lost connection is being re-established.
	 * @return {@code true} while Lettuce tries to reconnect and has not activated a connection since
	 */
	public boolean isReconnecting() {
		long reconnecting = this.lastReconnecting;
		return reconnecting != 0 && reconnecting - this.lastActivated > 0;
	}

	@Override
	public void close() {
		this.subscription.dispose();
	}

}
