package io.redispatterns.pubsub.autoconfigure;

import java.time.Duration;

import io.redispatterns.core.autoconfigure.DeprecatedPropertyNames;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

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
	 * Back-off of a Redis listener container that could not subscribe at start-up (Redis unreachable); the
	 * application starts anyway and pub/sub reports DOWN until the subscriptions are in place.
	 */
	private final Reconnect reconnect = new Reconnect();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	/**
	 * Time between two subscription attempts at start-up.
	 * @return the time
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code reconnect.max}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@DeprecatedConfigurationProperty(replacement = "redis-patterns.pubsub.reconnect.max", since = "0.1.0")
	public Duration getStartRetryInterval() {
		return this.reconnect.getMax();
	}

	/**
	 * Sets the time between two subscription attempts at start-up.
	 * @param startRetryInterval the time
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code reconnect.max}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public void setStartRetryInterval(Duration startRetryInterval) {
		DeprecatedPropertyNames.warn("redis-patterns.pubsub.start-retry-interval", "redis-patterns.pubsub.reconnect.max");
		this.reconnect.setMax(startRetryInterval);
	}

	/**
	 * Back-off of subscription attempts while Redis is unreachable at start-up.
	 */
	public static class Reconnect {

		/**
		 * Longest wait between two subscription attempts (they are this far apart), which bounds how long
		 * pub/sub takes to subscribe after Redis returns.
		 */
		private Duration max = Duration.ofMillis(500);

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

	}

}
