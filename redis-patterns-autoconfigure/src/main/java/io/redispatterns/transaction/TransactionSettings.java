package io.redispatterns.transaction;

import java.time.Duration;

/**
 * Settings of optimistic transactions.
 * @param maxAttempts attempts before giving up with an OptimisticLockingFailureException (at least 1)
 * @param initialBackoff back-off after the first conflict; doubled after each further one, with jitter
 * @param maxBackoff longest back-off
 * @param connections most dedicated connections (transactions running at once); more wait
 * @param acquireTimeout longest wait for a free connection
 */
public record TransactionSettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, int connections,
		Duration acquireTimeout) {

	/** The defaults: 10 attempts, 5 ms to 200 ms back-off, 8 connections, 5 s acquire timeout. */
	public static final TransactionSettings DEFAULTS = new TransactionSettings(10, Duration.ofMillis(5),
			Duration.ofMillis(200), 8, Duration.ofSeconds(5));

	/**
	 * Validates the settings.
	 */
	public TransactionSettings {
		if (maxAttempts < 1 || connections < 1) {
			throw new IllegalArgumentException("maxAttempts and connections must be at least 1");
		}
	}

}
