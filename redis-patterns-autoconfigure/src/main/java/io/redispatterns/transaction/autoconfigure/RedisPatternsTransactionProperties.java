package io.redispatterns.transaction.autoconfigure;

import java.time.Duration;

import io.redispatterns.core.autoconfigure.DeprecatedPropertyNames;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * Settings of optimistic transactions.
 */
@ConfigurationProperties("redis-patterns.transaction")
public class RedisPatternsTransactionProperties {

	/**
	 * Whether optimistic transactions (the RedisTransactions bean) are enabled.
	 */
	private boolean enabled = true;

	/**
	 * Attempts of one transaction before it gives up with an OptimisticLockingFailureException.
	 */
	private int maxAttempts = 10;

	/**
	 * Back-off between attempts after a conflict.
	 */
	private final Backoff backoff = new Backoff();

	/**
	 * Most dedicated connections, and so transactions running at once; further ones wait.
	 */
	private int connections = 8;

	/**
	 * Longest wait for a free dedicated connection.
	 */
	private Duration acquireTimeout = Duration.ofSeconds(5);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(int maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	public Backoff getBackoff() {
		return this.backoff;
	}

	/**
	 * Back-off after the first conflict.
	 * @return the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code backoff.initial}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@DeprecatedConfigurationProperty(replacement = "redis-patterns.transaction.backoff.initial", since = "0.1.0")
	public Duration getInitialBackoff() {
		return this.backoff.getInitial();
	}

	/**
	 * Sets the value of {@code initial-backoff}.
	 * @param initialBackoff the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code backoff.initial}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public void setInitialBackoff(Duration initialBackoff) {
		DeprecatedPropertyNames.warn("redis-patterns.transaction.initial-backoff", "redis-patterns.transaction.backoff.initial");
		this.backoff.setInitial(initialBackoff);
	}

	/**
	 * Longest back-off between attempts.
	 * @return the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code backoff.max}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@DeprecatedConfigurationProperty(replacement = "redis-patterns.transaction.backoff.max", since = "0.1.0")
	public Duration getMaxBackoff() {
		return this.backoff.getMax();
	}

	/**
	 * Sets the value of {@code max-backoff}.
	 * @param maxBackoff the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code backoff.max}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public void setMaxBackoff(Duration maxBackoff) {
		DeprecatedPropertyNames.warn("redis-patterns.transaction.max-backoff", "redis-patterns.transaction.backoff.max");
		this.backoff.setMax(maxBackoff);
	}

	public int getConnections() {
		return this.connections;
	}

	public void setConnections(int connections) {
		this.connections = connections;
	}

	public Duration getAcquireTimeout() {
		return this.acquireTimeout;
	}

	public void setAcquireTimeout(Duration acquireTimeout) {
		this.acquireTimeout = acquireTimeout;
	}

	/**
	 * Back-off between attempts after a conflict, as {@code redis-patterns.queue.backoff} between job attempts.
	 */
	public static class Backoff {

		/**
		 * Back-off after the first conflict; doubled after each further one, with jitter.
		 */
		private Duration initial = Duration.ofMillis(5);

		/**
		 * Longest back-off between attempts.
		 */
		private Duration max = Duration.ofMillis(200);

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = initial;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

	}

}
