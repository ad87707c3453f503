package io.redispatterns.pubsub.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of redis-patterns pub/sub.
 */
@ConfigurationProperties("redis-patterns.pubsub")
public class PubSubProperties {

	/**
	 * Whether the pub/sub publisher, channel prefix and JSON conversion for @RedisListener are enabled.
	 */
	private boolean enabled = true;

	/**
	 * How often a Redis listener container that could not subscribe at start-up (Redis unreachable) tries again;
	 * the application starts anyway and pub/sub reports DOWN until the subscriptions are in place.
	 */
	private Duration startRetryInterval = Duration.ofMillis(500);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getStartRetryInterval() {
		return this.startRetryInterval;
	}

	public void setStartRetryInterval(Duration startRetryInterval) {
		this.startRetryInterval = startRetryInterval;
	}

}
