package io.redispatterns.queue.autoconfigure;

import java.time.Duration;

import io.redispatterns.ratelimit.RateLimitAlgorithm;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the redis-patterns job queue ({@code redis-patterns.queue.*}).
 */
@ConfigurationProperties("redis-patterns.queue")
public class JobQueueProperties {

	/**
	 * Whether the job queue (JobQueues, DeadJobs and @RedisJobHandler workers) is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Jobs each queue runs at once in this instance, unless @RedisJobHandler sets its own.
	 */
	private int concurrency = 1;

	/**
	 * Attempts before a failing job is dead-lettered, unless the handler or the job sets its own.
	 */
	private int maxAttempts = 3;

	/**
	 * Lease of a running job: renewed every third of it while the handler runs; a job whose lease expired is recovered by any instance and counted as an attempt.
	 */
	private Duration lease = Duration.ofSeconds(30);

	/**
	 * How often each instance looks for jobs whose lease expired.
	 */
	private Duration stalledCheckInterval = Duration.ofSeconds(5);

	/**
	 * Longest time a worker blocks on Redis waiting for jobs; at most half the Redis command timeout is used.
	 */
	private Duration block = Duration.ofSeconds(2);

	/**
	 * Longest time shutdown waits for running handlers; jobs still running then go back to waiting.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	/**
	 * Approximate length of each queue's event stream (completed and dead jobs, read by awaitResult); 0 turns events off.
	 */
	private long eventsMaxLength = 10_000;

	/**
	 * How long a dedupe key stays taken after its job completed or died.
	 */
	private Duration dedupeWindow = Duration.ZERO;

	/**
	 * Lines kept in each job's log.
	 */
	private int logMaxLines = 100;

	/**
	 * Back-off between attempts of a failing job, unless the job sets its own.
	 */
	private final Backoff backoff = new Backoff();

	/**
	 * How many finished jobs each queue keeps, and for how long: Redis memory per queue stays bounded whatever the throughput.
	 */
	private final Retention retention = new Retention();

	/**
	 * Back-off of workers after a Redis failure.
	 */
	private final Reconnect reconnect = new Reconnect();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = concurrency;
	}

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(int maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		this.lease = lease;
	}

	public Duration getStalledCheckInterval() {
		return this.stalledCheckInterval;
	}

	public void setStalledCheckInterval(Duration stalledCheckInterval) {
		this.stalledCheckInterval = stalledCheckInterval;
	}

	public Duration getBlock() {
		return this.block;
	}

	public void setBlock(Duration block) {
		this.block = block;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public long getEventsMaxLength() {
		return this.eventsMaxLength;
	}

	public void setEventsMaxLength(long eventsMaxLength) {
		this.eventsMaxLength = eventsMaxLength;
	}

	public Duration getDedupeWindow() {
		return this.dedupeWindow;
	}

	public void setDedupeWindow(Duration dedupeWindow) {
		this.dedupeWindow = dedupeWindow;
	}

	/**
	 * Per-queue settings, keyed by queue name.
	 */
	private java.util.Map<String, PerQueue> perQueue = new java.util.LinkedHashMap<>();

	public java.util.Map<String, PerQueue> getPerQueue() {
		return this.perQueue;
	}

	public void setPerQueue(java.util.Map<String, PerQueue> perQueue) {
		this.perQueue = perQueue;
	}

	/**
	 * Settings of one queue.
	 */
	public static class PerQueue {

		/**
		 * Most jobs of the queue started per rate period across all instances; unset for no limit (0, the former
		 * marker, still means none).
		 */
		private @Nullable Integer rateLimit;

		/**
		 * Period of the rate limit: the window of the rate-limit algorithm, or for the token bucket the time in
		 * which it refills rate-limit tokens.
		 */
		private Duration ratePeriod = Duration.ofSeconds(1);

		/**
		 * Algorithm of the rate limit, one of the rate-limit package's: sliding-window (exact: no interval of
		 * rate-period starts more than rate-limit jobs), fixed-window, sliding-window-counter, token-bucket or gcra.
		 */
		private RateLimitAlgorithm rateAlgorithm = RateLimitAlgorithm.SLIDING_WINDOW;

		public @Nullable Integer getRateLimit() {
			return this.rateLimit;
		}

		public void setRateLimit(@Nullable Integer rateLimit) {
			this.rateLimit = rateLimit;
		}

		public Duration getRatePeriod() {
			return this.ratePeriod;
		}

		public void setRatePeriod(Duration ratePeriod) {
			this.ratePeriod = ratePeriod;
		}

		public RateLimitAlgorithm getRateAlgorithm() {
			return this.rateAlgorithm;
		}

		public void setRateAlgorithm(RateLimitAlgorithm rateAlgorithm) {
			this.rateAlgorithm = rateAlgorithm;
		}

	}

	public int getLogMaxLines() {
		return this.logMaxLines;
	}

	public void setLogMaxLines(int logMaxLines) {
		this.logMaxLines = logMaxLines;
	}

	public Backoff getBackoff() {
		return this.backoff;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	/**
	 * Back-off between attempts of a failing job, unless the job sets its own.
	 */
	public static class Backoff {

		/**
		 * Delay after the first failed attempt.
		 */
		private Duration initial = Duration.ofSeconds(1);

		/**
		 * Factor applied to the delay after each further failed attempt (1 for a fixed delay).
		 */
		private double multiplier = 2.0;

		/**
		 * Longest delay between attempts.
		 */
		private Duration max = Duration.ofMinutes(5);

		/**
		 * Random fraction of each delay, from 0 (none) to 1.
		 */
		private double jitter = 0.2;

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = initial;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = max;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * How many finished jobs each queue keeps, and for how long: Redis memory per queue stays bounded whatever the throughput.
	 */
	public static class Retention {

		/**
		 * Completed jobs kept per queue (their status and result stay readable); 0 removes them at once.
		 */
		private long completed = 1000;

		/**
		 * Age after which completed jobs are removed.
		 */
		private Duration completedAge = Duration.ofHours(24);

		/**
		 * Dead jobs kept per queue.
		 */
		private long dead = 10_000;

		/**
		 * Age after which dead jobs are removed.
		 */
		private Duration deadAge = Duration.ofDays(7);

		public long getCompleted() {
			return this.completed;
		}

		public void setCompleted(long completed) {
			this.completed = completed;
		}

		public Duration getCompletedAge() {
			return this.completedAge;
		}

		public void setCompletedAge(Duration completedAge) {
			this.completedAge = completedAge;
		}

		public long getDead() {
			return this.dead;
		}

		public void setDead(long dead) {
			this.dead = dead;
		}

		public Duration getDeadAge() {
			return this.deadAge;
		}

		public void setDeadAge(Duration deadAge) {
			this.deadAge = deadAge;
		}

	}

	/**
	 * Back-off of workers after a Redis failure.
	 */
	public static class Reconnect {

		/**
		 * First delay after a failure.
		 */
		private Duration initial = Duration.ofMillis(100);

		/**
		 * Longest delay between attempts, which bounds how long workers take to resume after Redis returns.
		 */
		private Duration max = Duration.ofSeconds(1);

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
