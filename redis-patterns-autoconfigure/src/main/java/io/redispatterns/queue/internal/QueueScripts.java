package io.redispatterns.queue.internal;

import java.util.List;

import io.redispatterns.core.RedisScripts;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * Internal: the job-queue scripts, one per state transition, each prefixed with the shared helpers.
 */
final class QueueScripts {

	static final RedisScript<List> ENQUEUE = load("enqueue.lua", List.class);

	static final RedisScript<List> TAKE = load("take.lua", List.class);

	static final RedisScript<Long> COMPLETE = load("complete.lua", Long.class);

	static final RedisScript<Long> FAIL = load("fail.lua", Long.class);

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
		return RedisScripts.compose(io.redispatterns.queue.JobQueues.class, type, "prelude.lua", name);
	}

}
