package io.redispatterns.test.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the embedded development Redis server.
 */
@ConfigurationProperties("redis-patterns.embedded")
public class EmbeddedRedisProperties {

	/**
	 * Whether to start an embedded redis-server when no Redis connection is configured.
	 */
	private boolean enabled = true;

	/**
	 * Port of the embedded redis-server; 0 picks a free port.
	 */
	private int port = 0;

	/** Whether the embedded server may start. */
	public boolean isEnabled() {
		return this.enabled;
	}

	/** Sets whether the embedded server may start. */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/** Port of the embedded server; 0 for a free port. */
	public int getPort() {
		return this.port;
	}

	/** Sets the port of the embedded server; 0 for a free port. */
	public void setPort(int port) {
		this.port = port;
	}

}
