package io.redispatterns.queue.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.redispatterns.queue.JobContext;
import io.redispatterns.queue.JobId;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: the context of one running attempt; also the worker's record of the lease it holds.
 */
final class DefaultJobContext implements JobContext {

	private static final Log logger = LogFactory.getLog(DefaultJobContext.class);

	private final String queue;

	private final TakenJob job;

	private final String token;

	private final int maxAttempts;

	private final Map<String, String> headers;

	private final StringRedisTemplate redis;

	private final String jobKey;

	private final int logMaxLines;

	private volatile long leaseDeadline;

	private volatile boolean lost;

	DefaultJobContext(String queue, TakenJob job, String token, int maxAttempts, Map<String, String> headers,
			StringRedisTemplate redis, String jobKey, int logMaxLines, long leaseDeadline) {
		this.queue = queue;
		this.job = job;
		this.token = token;
		this.maxAttempts = maxAttempts;
		this.headers = headers;
		this.redis = redis;
		this.jobKey = jobKey;
		this.logMaxLines = logMaxLines;
		this.leaseDeadline = leaseDeadline;
	}

	TakenJob job() {
		return this.job;
	}

	String token() {
		return this.token;
	}

	void renewed(long deadline) {
		this.leaseDeadline = deadline;
	}

	void lost() {
		this.lost = true;
	}

	@Override
	public String queue() {
		return this.queue;
	}

	@Override
	public JobId id() {
		return JobId.of(this.job.id());
	}

	@Override
	public String name() {
		return this.job.name();
	}

	@Override
	public int attempt() {
		return this.job.attempt();
	}

	@Override
	public int maxAttempts() {
		return this.maxAttempts;
	}

	@Override
	public Map<String, String> headers() {
		return this.headers;
	}

	@Override
	public void progress(int percent) {
		write("p", Integer.toString(percent));
	}

	@Override
	public void log(String line) {
		write("l", line);
	}

	private void write(String kind, String value) {
		try {
			this.redis.execute(QueueScripts.PROGRESS, List.of(this.jobKey), this.token, kind, value,
					Integer.toString(this.logMaxLines));
		}
		catch (RuntimeException ex) {
			// progress and log lines are informational: a Redis fault must not fail the job
			logger.debug("Could not record progress or log of job " + this.job.id() + " on queue " + this.queue, ex);
		}
	}

	@Override
	public Duration remainingLease() {
		if (this.lost) {
			return Duration.ZERO;
		}
		return Duration.ofMillis(Math.max(0, this.leaseDeadline - System.currentTimeMillis()));
	}

	@Override
	public boolean leaseHeld() {
		return !this.lost && this.leaseDeadline > System.currentTimeMillis();
	}

}
