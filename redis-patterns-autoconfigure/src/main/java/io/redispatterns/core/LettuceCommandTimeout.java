package io.redispatterns.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * Reads Lettuce's command timeout ({@code spring.data.redis.timeout}; 60 s when unset), which also ends a
 * blocking command such as {@code XREADGROUP} or {@code BZPOPMIN}. Other clients are not checked.
 */
public final class LettuceCommandTimeout {

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			LettuceCommandTimeout.class.getClassLoader());

	private LettuceCommandTimeout() {
	}

	/**
	 * Returns the command timeout of a Lettuce connection factory.
	 * @param connectionFactory the connection factory
	 * @return the timeout, or {@code null} when the factory is not Lettuce's
	 */
	public static @Nullable Duration of(RedisConnectionFactory connectionFactory) {
		return LETTUCE_PRESENT ? Lettuce.commandTimeout(connectionFactory) : null;
	}

	/** Loaded only when Lettuce is on the class path. */
	private static final class Lettuce {

		static @Nullable Duration commandTimeout(RedisConnectionFactory connectionFactory) {
			return (connectionFactory instanceof LettuceConnectionFactory lettuce)
					? lettuce.getClientConfiguration().getCommandTimeout() : null;
		}

	}

}
