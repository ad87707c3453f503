package io.redispatterns.queue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Options of one enqueued job; immutable, every method returns a copy:
 * <pre class="code">
 * JobOptions.delay(Duration.ofMinutes(5)).priority(10).attempts(5)
 *     .backoff(Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5)))
 *     .dedupeKey("welcome:" + userId);
 * </pre>
 * @param delay how long the job waits before it becomes ready ({@code ZERO}: at once)
 * @param priority higher runs first, from 0 to 1,000,000; FIFO within one priority
 * @param attempts attempts before the job is dead-lettered, or {@code null} for the handler's {@code maxAttempts}
 * @param backoff delay between attempts, or {@code null} for the handler's (or the configured) back-off
 * @param dedupeKey while a job with this key is waiting, delayed or running, enqueueing another job with the
 * same key writes nothing and returns the pending job's id; {@code null} for none
 * @param jobId the job's id, or {@code null} to generate one; enqueueing an id that exists writes nothing
 * @param afterCommit whether an enqueue inside a Spring transaction waits for the commit (a rollback enqueues
 * nothing)
 * @param headers string headers handed to the handler in its {@link JobContext}
 */
public record JobOptions(Duration delay, int priority, @Nullable Integer attempts, @Nullable Backoff backoff,
		@Nullable String dedupeKey, @Nullable String jobId, boolean afterCommit, Map<String, String> headers) {

	/** Highest priority. */
	public static final int MAX_PRIORITY = 1_000_000;

	private static final JobOptions DEFAULTS = new JobOptions(Duration.ZERO, 0, null, null, null, null, true,
			Map.of());

	/**
	 * Validates the options.
	 * @param delay the delay
	 * @param priority the priority
	 * @param attempts the attempts
	 * @param backoff the back-off
	 * @param dedupeKey the dedupe key
	 * @param jobId the job id
	 * @param afterCommit whether to wait for a transaction's commit
	 * @param headers the headers
	 */
	public JobOptions {
		if (delay.isNegative()) {
			throw new IllegalArgumentException("Job delay must not be negative: " + delay);
		}
		if (priority < 0 || priority > MAX_PRIORITY) {
			throw new IllegalArgumentException("Job priority must be between 0 and " + MAX_PRIORITY + ": " + priority);
		}
		if (attempts != null && attempts < 1) {
			throw new IllegalArgumentException("Job attempts must be at least 1: " + attempts);
		}
		if (dedupeKey != null && (dedupeKey.isEmpty() || dedupeKey.length() > 256)) {
			throw new IllegalArgumentException("Dedupe key must have 1 to 256 characters");
		}
		if (jobId != null) {
			JobId.of(jobId);
		}
		headers = Map.copyOf(headers);
	}

	/**
	 * Returns the defaults: no delay, priority 0, the handler's attempts and back-off.
	 * @return the default options
	 */
	public static JobOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Returns defaults with a delay.
	 * @param delay how long the job waits before it becomes ready
	 * @return the options
	 */
	public static JobOptions delay(Duration delay) {
		return DEFAULTS.withDelay(delay);
	}

	/**
	 * Returns a copy with a delay.
	 * @param delay how long the job waits before it becomes ready
	 * @return the options
	 */
	public JobOptions withDelay(Duration delay) {
		return new JobOptions(delay, this.priority, this.attempts, this.backoff, this.dedupeKey, this.jobId,
				this.afterCommit, this.headers);
	}

	/**
	 * Returns a copy with a priority.
	 * @param priority higher runs first, from 0 to {@value #MAX_PRIORITY}
	 * @return the options
	 */
	public JobOptions priority(int priority) {
		return new JobOptions(this.delay, priority, this.attempts, this.backoff, this.dedupeKey, this.jobId,
				this.afterCommit, this.headers);
	}

	/**
	 * Returns a copy with a number of attempts.
	 * @param attempts attempts before the job is dead-lettered
	 * @return the options
	 */
	public JobOptions attempts(int attempts) {
		return new JobOptions(this.delay, this.priority, attempts, this.backoff, this.dedupeKey, this.jobId,
				this.afterCommit, this.headers);
	}

	/**
	 * Returns a copy with a back-off.
	 * @param backoff delay between attempts
	 * @return the options
	 */
	public JobOptions backoff(Backoff backoff) {
		return new JobOptions(this.delay, this.priority, this.attempts, backoff, this.dedupeKey, this.jobId,
				this.afterCommit, this.headers);
	}

	/**
	 * Returns a copy with a dedupe key.
	 * @param dedupeKey the key
	 * @return the options
	 */
	public JobOptions dedupeKey(String dedupeKey) {
		return new JobOptions(this.delay, this.priority, this.attempts, this.backoff, dedupeKey, this.jobId,
				this.afterCommit, this.headers);
	}

	/**
	 * Returns a copy with a chosen job id (an idempotency key: enqueueing an existing id writes nothing).
	 * @param jobId the id
	 * @return the options
	 */
	public JobOptions withJobId(String jobId) {
		return new JobOptions(this.delay, this.priority, this.attempts, this.backoff, this.dedupeKey, jobId,
				this.afterCommit, this.headers);
	}

	/**
	 * Returns a copy that enqueues at once even inside a transaction.
	 * @return the options
	 */
	public JobOptions immediately() {
		return new JobOptions(this.delay, this.priority, this.attempts, this.backoff, this.dedupeKey, this.jobId,
				false, this.headers);
	}

	/**
	 * Returns a copy with one more header.
	 * @param name the header name
	 * @param value the header value
	 * @return the options
	 */
	public JobOptions header(String name, String value) {
		Map<String, String> copy = new LinkedHashMap<>(this.headers);
		copy.put(name, value);
		return new JobOptions(this.delay, this.priority, this.attempts, this.backoff, this.dedupeKey, this.jobId,
				this.afterCommit, copy);
	}

}
