package io.redispatterns.transaction.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of optimistic transactions.
 */
@ConfigurationProperties("redis-patterns.transaction")
public class TransactionProperties {

	/**
	 * Whether optimistic transactions (the RedisTransactions bean) are enabled.
	 */
	private boolean enabled = true;

	/**
	 * Attempts of one transaction before it gives up with an OptimisticLockingFailureException.
	 */
	private int maxAttempts = 10;

	/**
	 * Back-off after the first conflict; doubled after each further one, with jitter.
	 */
	private Duration initialBackoff = Duration.ofMillis(5);

	/**
	 * Longest back-off between attempts.
	 */
	private Duration maxBackoff = Duration.ofMillis(200);

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

	public Duration getInitialBackoff() {
		return this.initialBackoff;
	}

	public void setInitialBackoff(Duration initialBackoff) {
		this.initialBackoff = initialBackoff;
	}

	public Duration getMaxBackoff() {
		return this.maxBackoff;
	}

	public void setMaxBackoff(Duration maxBackoff) {
		this.maxBackoff = maxBackoff;
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

}
