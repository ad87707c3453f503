package io.redispatterns.queue.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.queue.JobContext;
import io.redispatterns.queue.JobId;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: the context of one running attempt; also the worker's record of the lease it holds.
 */
final class DefaultJobContext implements JobContext {

	private static final Log logger = LogFactory.getLog(DefaultJobContext.class);

	private final String queue;

	private final TakenJob job;

	private final String lease;

	private final int maxAttempts;

	private final Map<String, String> headers;

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final JsonCodec codec;

	private volatile @Nullable Map<Object, Object> children;

	private final String jobKey;

	private final String activeKey;

	private final int logMaxLines;

	private volatile long leaseDeadline;

	private volatile boolean lost;

	DefaultJobContext(String queue, TakenJob job, int maxAttempts, Map<String, String> headers,
			StringRedisTemplate redis, JsonCodec codec, String jobKey, String activeKey, int logMaxLines,
			long leaseDeadline) {
		this.queue = queue;
		this.job = job;
		this.lease = job.lease();
		this.maxAttempts = maxAttempts;
		this.headers = headers;
		this.redis = redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.codec = codec;
		this.jobKey = jobKey;
		this.activeKey = activeKey;
		this.logMaxLines = logMaxLines;
		this.leaseDeadline = leaseDeadline;
	}

	TakenJob job() {
		return this.job;
	}

	/** The lease this attempt holds: the job's member of the active set ({@code lease.lua}). */
	String lease() {
		return this.lease;
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
	public Map<JobId, String> childResults() {
		return children('c');
	}

	@Override
	public Map<JobId, String> childFailures() {
		return children('f');
	}

	@Override
	public <T> @Nullable T childResult(JobId child, Class<T> type) {
		String json = childResults().get(child);
		return (json != null) ? this.codec.decode(json.getBytes(StandardCharsets.UTF_8), type) : null;
	}

	/** The children's outcomes are stored as {@code c<result JSON>} or {@code f<error>} by child id. */
	private Map<JobId, String> children(char outcome) {
		Map<Object, Object> all = this.children;
		if (all == null) {
			all = this.redis.opsForHash().entries(this.jobKey + ":ch");
			this.children = all;
		}
		Map<JobId, String> selected = new LinkedHashMap<>();
		all.forEach((id, value) -> {
			String text = value.toString();
			if (!text.isEmpty() && text.charAt(0) == outcome) {
				selected.put(JobId.of(id.toString()), text.substring(1));
			}
		});
		return Collections.unmodifiableMap(selected);
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
			this.scripts.run(QueueScripts.PROGRESS, List.of(this.jobKey, this.activeKey), this.lease, kind, value,
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
