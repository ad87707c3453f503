package io.redispatterns.core;

import java.util.concurrent.TimeUnit;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisConnectionUtils;

/**
 * Reads the Redis server's clock. Patterns whose correctness depends on time (rate limits,
 * leases) use the server's {@code TIME} inside their scripts; this class is for the Java side:
 * reporting the skew between application and Redis clocks.
 */
public final class RedisServerTime {

	private final RedisConnectionFactory connectionFactory;

	/**
	 * Creates a reader.
	 * @param connectionFactory the application's connection factory
	 */
	public RedisServerTime(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Returns the server's time.
	 * @return microseconds since the epoch, by the Redis server's clock
	 */
	public long nowMicros() {
		RedisConnection connection = RedisConnectionUtils.getConnection(this.connectionFactory);
		try {
			Long micros = connection.serverCommands().time(TimeUnit.MICROSECONDS);
			if (micros == null) {
				throw new RedisPatternsException("Redis TIME returned nothing");
			}
			return micros;
		}
		finally {
			RedisConnectionUtils.releaseConnection(connection, this.connectionFactory);
		}
	}

	/**
	 * Measures how far the Redis clock is ahead of the local clock, correcting for the round trip
	 * by comparing with the midpoint of the local time before and after the call.
	 * @return Redis time minus local time, in milliseconds (negative when Redis is behind)
	 */
	public long skewMillis() {
		long before = System.currentTimeMillis() * 1000;
		long redis = nowMicros();
		long after = System.currentTimeMillis() * 1000;
		return (redis - (before + after) / 2) / 1000;
	}

}
