package io.redispatterns.core.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * Fail-fast defaults of the Lettuce client that Spring Boot builds, bound under
 * {@code redis-patterns.client}. Each applies only where the application did not configure the
 * matching {@code spring.data.redis.*} property.
 */
@ConfigurationProperties("redis-patterns.client")
public class RedisClientProperties {

	/**
	 * Whether to apply the fail-fast defaults below to the Lettuce client.
	 */
	private boolean enabled = true;

	/**
	 * Command timeout used when spring.data.redis.timeout is not set (Lettuce's own default is 60s).
	 */
	private Duration commandTimeout = Duration.ofSeconds(2);

	/**
	 * Connect timeout used when spring.data.redis.connect-timeout is not set (Lettuce's own default
	 * is 10s).
	 */
	private Duration connectTimeout = Duration.ofSeconds(1);


	/**
	 * Whether commands issued while the connection is down fail at once ("unavailable") instead of
	 * waiting in a buffer for the reconnect (up to the command timeout). Lettuce then also fails the
	 * commands in flight when the connection drops ("outcome unknown") instead of re-sending them
	 * after the reconnect.
	 */
	private boolean rejectWhileDisconnected;

	/**
	 * Back-off between reconnect attempts after the connection dropped.
	 */
	private final Reconnect reconnect = new Reconnect();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getCommandTimeout() {
		return this.commandTimeout;
	}

	public void setCommandTimeout(Duration commandTimeout) {
		this.commandTimeout = commandTimeout;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	/**
	 * Longest pause between two reconnect attempts.
	 * @return the pause
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code reconnect.max}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@DeprecatedConfigurationProperty(replacement = "redis-patterns.client.reconnect.max", since = "0.1.0")
	public Duration getReconnectMaxDelay() {
		return this.reconnect.getMax();
	}

	/**
	 * Sets the longest pause between two reconnect attempts.
	 * @param reconnectMaxDelay the pause
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code reconnect.max}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public void setReconnectMaxDelay(Duration reconnectMaxDelay) {
		DeprecatedPropertyNames.warn("redis-patterns.client.reconnect-max-delay", "redis-patterns.client.reconnect.max");
		this.reconnect.setMax(reconnectMaxDelay);
	}

	public boolean isRejectWhileDisconnected() {
		return this.rejectWhileDisconnected;
	}

	public void setRejectWhileDisconnected(boolean rejectWhileDisconnected) {
		this.rejectWhileDisconnected = rejectWhileDisconnected;
	}

	/**
	 * Reconnect back-off settings.
	 */
	public static class Reconnect {

		/**
		 * Longest pause between two reconnect attempts (Lettuce's own default is 30s), so that the
		 * client notices a returning Redis within about this time.
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
