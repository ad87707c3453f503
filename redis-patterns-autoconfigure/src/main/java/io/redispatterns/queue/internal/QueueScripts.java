package io.redispatterns.queue.internal;

import java.util.List;

import io.redispatterns.core.LuaScript;
import io.redispatterns.core.ScriptResult;
import io.redispatterns.ratelimit.RateLimitAlgorithms;

/**
 * Internal: the job-queue scripts, one per state transition, each prefixed with the shared helpers.
 */
final class QueueScripts {

	static final LuaScript<List<Object>> ENQUEUE = load("enqueue.lua", ScriptResult.LIST);

	static final LuaScript<List<Object>> TAKE = load("take.lua", ScriptResult.LIST);

	/** The take script with the rate-limit package's algorithms in front, for a rate-limited queue. */
	static final LuaScript<List<Object>> TAKE_RATE_LIMITED = rateLimited("take.lua");

	static final LuaScript<List<Object>> COMPLETE = load("complete.lua", ScriptResult.LIST);

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

	private static LuaScript<List<Object>> rateLimited(String name) {
		// the queue's clock is the limiter's (one TIME call, and the start times a job shows are the limiter's)
		String queueScript = load(name, ScriptResult.LIST).text()
			.replace("local time = redis.call('TIME')", "local time = TIME");
		return LuaScript.of(RateLimitAlgorithms.luaSource() + "\n" + queueScript, ScriptResult.LIST);
	}

}
