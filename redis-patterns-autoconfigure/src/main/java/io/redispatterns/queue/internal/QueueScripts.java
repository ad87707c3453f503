package io.redispatterns.queue.internal;

import java.util.List;

import io.redispatterns.core.LuaScript;
import io.redispatterns.core.ScriptResult;
import io.redispatterns.ratelimit.internal.RateLimitAlgorithms;

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
	static final LuaScript<List<Object>> ENQUEUE = withClock(load("enqueue.lua", ScriptResult.LIST),
			"ARGV[3 + tonumber(ARGV[2]) * 11]");

	/**
	 * One plain job (generated id, no delay, no dedupe key, no flow): the writes of {@link #ENQUEUE}'s branch for
	 * such a job in a flat script without the prelude, whose helpers cost Redis a closure each per call.
	 */
	static final LuaScript<List<Object>> ENQUEUE_ONE = LuaScript.load(io.redispatterns.queue.JobQueues.class,
			"enqueue-one.lua", ScriptResult.LIST);

	/** Take on the caller's clock until it leases a job or compares a due time (prelude: useServerClock). */
	static final LuaScript<List<Object>> TAKE = withClock(load("take.lua", ScriptResult.LIST), "ARGV[10]");

	/** The take script with the rate-limit package's algorithms in front, for a rate-limited queue. */
	static final LuaScript<List<Object>> TAKE_RATE_LIMITED = rateLimited("take.lua");

	/** Complete on the caller's clock until it leases a job or compares a due time (prelude: useServerClock). */
	static final LuaScript<List<Object>> COMPLETE = withClock(load("complete.lua", ScriptResult.LIST), "ARGV[12]");

	static final LuaScript<Long> AWAIT = load("await.lua", ScriptResult.LONG);

	static final LuaScript<Long> FAIL = load("fail.lua", ScriptResult.LONG);

	static final LuaScript<Long> CHILD_DONE = load("child-done.lua", ScriptResult.LONG);

	static final LuaScript<List<Object>> RENEW = load("renew.lua", ScriptResult.LIST);

	static final LuaScript<List<Object>> RECOVER_STALLED = load("recover-stalled.lua", ScriptResult.LIST);

	static final LuaScript<Long> RELEASE = load("release.lua", ScriptResult.LONG);

	static final LuaScript<Long> CANCEL = load("cancel.lua", ScriptResult.LONG);

	static final LuaScript<Long> PAUSE = load("pause.lua", ScriptResult.LONG);

	static final LuaScript<List<Object>> DEPTHS = load("depths.lua", ScriptResult.LIST);

	static final LuaScript<Long> DEAD_RETRY = load("dead-retry.lua", ScriptResult.LONG);

	static final LuaScript<Long> DEAD_PURGE = load("dead-purge.lua", ScriptResult.LONG);

	static final LuaScript<Long> PROGRESS = load("progress.lua", ScriptResult.LONG);

	static final LuaScript<Long> REPEAT = load("repeat.lua", ScriptResult.LONG);

	private QueueScripts() {
	}

	private static <T> LuaScript<T> load(String name, ScriptResult<T> type) {
		return LuaScript.compose(io.redispatterns.queue.JobQueues.class, type, "prelude.lua", "lease.lua", name);
	}

	/**
	 * The script started on the caller's clock (ms, from the argument {@code clockArgument}) when that is not
	 * empty; the server's {@code TIME} is then called only if the script reaches {@code useServerClock()}.
	 */
	private static LuaScript<List<Object>> withClock(LuaScript<List<Object>> script, String clockArgument) {
		String text = script.text();
		String serverTime = "local time = redis.call('TIME')";
		String serverClock = "local serverClock = true";
		if (!text.contains(serverTime) || !text.contains(serverClock)) {
			throw new IllegalStateException("The queue prelude no longer starts with the server's clock");
		}
		text = text.replace(serverTime, "local callerClock = " + clockArgument + "\n"
				+ "local time = (callerClock and callerClock ~= '') and { string.format('%.0f', math.floor(tonumber(callerClock) / 1000)),"
				+ " tostring((tonumber(callerClock) % 1000) * 1000) } or redis.call('TIME')")
			.replace(serverClock, "local serverClock = not (callerClock and callerClock ~= '')");
		return LuaScript.of(text, ScriptResult.LIST);
	}

	private static LuaScript<List<Object>> rateLimited(String name) {
		// the queue's clock is the limiter's (one TIME call, and the start times a job shows are the limiter's)
		String queueScript = load(name, ScriptResult.LIST).text()
			.replace("local time = redis.call('TIME')", "local time = TIME");
		return LuaScript.of(RateLimitAlgorithms.luaSource() + "\n" + queueScript, ScriptResult.LIST);
	}

}
