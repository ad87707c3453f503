package io.redispatterns.pubsub.autoconfigure;

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

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

}
