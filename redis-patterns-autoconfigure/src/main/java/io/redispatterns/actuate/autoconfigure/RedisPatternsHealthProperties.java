package io.redispatterns.actuate.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the Redis health indicators, bound under {@code redis-patterns.health}.
 */
@ConfigurationProperties("redis-patterns.health")
public class RedisPatternsHealthProperties {

	/**
	 * Longest time a Redis health check waits for Redis before reporting DOWN.
	 */
	private Duration timeout = Duration.ofSeconds(1);

	/**
	 * Whether Spring Boot's "redis" health indicator is replaced by one that answers within the
	 * timeout, needs no INFO permission and shows no exception class names.
	 */
	private boolean replaceRedisIndicator = true;

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public boolean isReplaceRedisIndicator() {
		return this.replaceRedisIndicator;
	}

	public void setReplaceRedisIndicator(boolean replaceRedisIndicator) {
		this.replaceRedisIndicator = replaceRedisIndicator;
	}

}
