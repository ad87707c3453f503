package io.redispatterns.lock.autoconfigure;

import java.time.Duration;

import io.redispatterns.core.autoconfigure.DeprecatedPropertyNames;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * Settings of distributed locks.
 */
@ConfigurationProperties("redis-patterns.lock")
public class LockProperties {

	/**
	 * Whether distributed locks (LockTemplate, @DistributedLock) are enabled.
	 */
	private boolean enabled = true;

	/**
	 * Lease used when none is given: how long a lock is held unless extended or released.
	 */
	private Duration lease = Duration.ofSeconds(30);

	/**
	 * Wait used when none is given (LockOptions.waitFor, @DistributedLock(waitFor)): how long to wait for a
	 * busy lock (0 for one attempt).
	 */
	private Duration waitFor = Duration.ZERO;

	/**
	 * Longest time a waiter sleeps without a wake-up message before it retries; each sleep is a
	 * random time between half of this and this, and never longer than the holder's remaining
	 * lease.
	 */
	private Duration fallbackPoll = Duration.ofSeconds(1);

	/**
	 * Number of replicas that must acknowledge an acquisition (WAIT) before it counts; 0 to not
	 * wait. Narrows, but does not close, the window in which a failover loses a lock.
	 */
	private int waitForReplicas;

	/**
	 * How long an acquisition waits for the replica acknowledgements of wait-for-replicas.
	 */
	private Duration waitForReplicasTimeout = Duration.ofSeconds(1);

	/**
	 * Lease renewal while a callback or @DistributedLock method runs.
	 */
	private final Watchdog watchdog = new Watchdog();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		this.lease = lease;
	}

	public Duration getWaitFor() {
		return this.waitFor;
	}

	public void setWaitFor(Duration waitFor) {
		this.waitFor = waitFor;
	}

	/**
	 * Lease used when none is given.
	 * @return the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code lease}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@DeprecatedConfigurationProperty(replacement = "redis-patterns.lock.lease", since = "0.1.0")
	public Duration getDefaultLease() {
		return this.lease;
	}

	/**
	 * Sets the value of {@code default-lease}.
	 * @param defaultLease the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code lease}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public void setDefaultLease(Duration defaultLease) {
		DeprecatedPropertyNames.warn("redis-patterns.lock.default-lease", "redis-patterns.lock.lease");
		this.lease = defaultLease;
	}

	/**
	 * Wait used when none is given.
	 * @return the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code wait-for}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	@DeprecatedConfigurationProperty(replacement = "redis-patterns.lock.wait-for", since = "0.1.0")
	public Duration getDefaultWait() {
		return this.waitFor;
	}

	/**
	 * Sets the value of {@code default-wait}.
	 * @param defaultWait the value
	 * @deprecated since 0.1.0 for removal in the next release, in favour of {@code wait-for}
	 */
	@Deprecated(since = "0.1.0", forRemoval = true)
	public void setDefaultWait(Duration defaultWait) {
		DeprecatedPropertyNames.warn("redis-patterns.lock.default-wait", "redis-patterns.lock.wait-for");
		this.waitFor = defaultWait;
	}

	public Duration getFallbackPoll() {
		return this.fallbackPoll;
	}

	public void setFallbackPoll(Duration fallbackPoll) {
		this.fallbackPoll = fallbackPoll;
	}

	public int getWaitForReplicas() {
		return this.waitForReplicas;
	}

	public void setWaitForReplicas(int waitForReplicas) {
		this.waitForReplicas = waitForReplicas;
	}

	public Duration getWaitForReplicasTimeout() {
		return this.waitForReplicasTimeout;
	}

	public void setWaitForReplicasTimeout(Duration waitForReplicasTimeout) {
		this.waitForReplicasTimeout = waitForReplicasTimeout;
	}

	public Watchdog getWatchdog() {
		return this.watchdog;
	}

	/**
	 * Lease renewal settings.
	 */
	public static class Watchdog {

		/**
		 * Whether executeWithLock, @DistributedLock and the Lock view renew the lease every third of
		 * its length while the work runs.
		 */
		private boolean enabled = true;

		/**
		 * Number of threads that renew leases.
		 */
		private int threads = 2;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getThreads() {
			return this.threads;
		}

		public void setThreads(int threads) {
			this.threads = threads;
		}

	}

}
