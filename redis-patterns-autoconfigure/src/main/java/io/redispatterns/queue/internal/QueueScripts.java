package io.redispatterns.queue.internal;

import java.util.List;

import io.redispatterns.core.RedisScripts;
import io.redispatterns.ratelimit.internal.RateLimitAlgorithms;

import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Internal: the job-queue scripts, one per state transition, each prefixed with the shared helpers.
 */
final class QueueScripts {

	/**
	 * Enqueue takes its clock from the enqueuing client when the caller passes one (no job of the call is
	 * delayed): the time then only becomes the job's creation time, which is reported (status, wait-time
	 * metric) and never compared with another instance's time, so a skewed client clock skews only those
	 * numbers, and the call saves Redis a {@code TIME}. Due times of delayed jobs (compared with every
	 * instance's takes) and everything lease-related keep the server's clock.
	 */
	static final RedisScript<List> ENQUEUE = withClock(load("enqueue.lua", List.class),
			"ARGV[3 + tonumber(ARGV[2]) * 11]");

	/** Take on the caller's clock until it leases a job or compares a due time (prelude: useServerClock). */
	static final RedisScript<List> TAKE = withClock(load("take.lua", List.class), "ARGV[10]");

	/** The take script with the rate-limit package's algorithms in front, for a rate-limited queue. */
	static final RedisScript<List> TAKE_RATE_LIMITED = rateLimited("take.lua");

	/** Complete on the caller's clock until it leases a job or compares a due time (prelude: useServerClock). */
	static final RedisScript<List> COMPLETE = withClock(load("complete.lua", List.class), "ARGV[12]");

	static final RedisScript<Long> AWAIT = load("await.lua", Long.class);

	static final RedisScript<Long> FAIL = load("fail.lua", Long.class);

	static final RedisScript<Long> CHILD_DONE = load("child-done.lua", Long.class);

	static final RedisScript<List> RENEW = load("renew.lua", List.class);

	static final RedisScript<List> RECOVER_STALLED = load("recover-stalled.lua", List.class);

	static final RedisScript<Long> RELEASE = load("release.lua", Long.class);

	static final RedisScript<Long> CANCEL = load("cancel.lua", Long.class);

	static final RedisScript<Long> PAUSE = load("pause.lua", Long.class);

	static final RedisScript<List> DEPTHS = load("depths.lua", List.class);

	static final RedisScript<Long> DEAD_RETRY = load("dead-retry.lua", Long.class);

	static final RedisScript<Long> DEAD_PURGE = load("dead-purge.lua", Long.class);

	static final RedisScript<Long> PROGRESS = load("progress.lua", Long.class);

	static final RedisScript<Long> REPEAT = load("repeat.lua", Long.class);

	private QueueScripts() {
	}

	private static <T> RedisScript<T> load(String name, Class<T> type) {
		return RedisScripts.compose(io.redispatterns.queue.JobQueues.class, type, "prelude.lua", "lease.lua", name);
	}

	/**
	 * The script started on the caller's clock (ms, from the argument {@code clockArgument}) when that is not
	 * empty; the server's {@code TIME} is then called only if the script reaches {@code useServerClock()}.
	 */
	private static RedisScript<List> withClock(RedisScript<List> script, String clockArgument) {
		String text = script.getScriptAsString();
		String serverTime = "local time = redis.call('TIME')";
		String serverClock = "local serverClock = true";
		if (!text.contains(serverTime) || !text.contains(serverClock)) {
			throw new IllegalStateException("The queue prelude no longer starts with the server's clock");
		}
		text = text.replace(serverTime, "local callerClock = " + clockArgument + "\n"
				+ "local time = (callerClock and callerClock ~= '') and { string.format('%.0f', math.floor(tonumber(callerClock) / 1000)),"
				+ " tostring((tonumber(callerClock) % 1000) * 1000) } or redis.call('TIME')")
			.replace(serverClock, "local serverClock = not (callerClock and callerClock ~= '')");
		DefaultRedisScript<List> clocked = new DefaultRedisScript<>(text, List.class);
		clocked.getSha1();
		return clocked;
	}

	private static RedisScript<List> rateLimited(String name) {
		// the queue's clock is the limiter's (one TIME call, and the start times a job shows are the limiter's)
		String queueScript = load(name, List.class).getScriptAsString()
			.replace("local time = redis.call('TIME')", "local time = TIME");
		DefaultRedisScript<List> script = new DefaultRedisScript<>(
				RateLimitAlgorithms.luaSource() + "\n" + queueScript, List.class);
		script.getSha1();
		return script;
	}

}
