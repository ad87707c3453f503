package io.redispatterns.core;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * How the application reaches Redis.
 */
public enum RedisMode {

	/** One server (or a master reached directly). */
	STANDALONE,

	/** A master found through Sentinels. */
	SENTINEL,

	/** A Redis Cluster. */
	CLUSTER;

	/**
	 * Tells the mode of a connection factory.
	 * @param connectionFactory the application's connection factory
	 * @return the mode; {@link #STANDALONE} when the factory does not say
	 */
	public static RedisMode of(RedisConnectionFactory connectionFactory) {
		if (connectionFactory instanceof LettuceConnectionFactory lettuce) {
			if (lettuce.isClusterAware()) {
				return CLUSTER;
			}
			if (lettuce.isRedisSentinelAware()) {
				return SENTINEL;
			}
		}
		return STANDALONE;
	}

	/**
	 * Returns the mode as shown in health details and the endpoint.
	 * @return {@code standalone}, {@code sentinel} or {@code cluster}
	 */
	public String displayName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
