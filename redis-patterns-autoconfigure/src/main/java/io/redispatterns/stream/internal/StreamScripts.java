package io.redispatterns.stream.internal;

import java.util.List;

import io.redispatterns.core.RedisScripts;
import io.redispatterns.stream.RedisStreamListener;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * Internal: the stream Lua scripts, loaded once.
 */
@SuppressWarnings("rawtypes")
final class StreamScripts {

	static final RedisScript<List> PUBLISH = RedisScripts.load(RedisStreamListener.class, "publish.lua", List.class);

	static final RedisScript<Long> DEAD_LETTER = RedisScripts.load(RedisStreamListener.class, "dead-letter.lua",
			Long.class);

	static final RedisScript<List> CLAIM = RedisScripts.load(RedisStreamListener.class, "claim.lua", List.class);

	static final RedisScript<List> RECLAIM = RedisScripts.load(RedisStreamListener.class, "reclaim.lua", List.class);

	static final RedisScript<List> GROUP_STATS = RedisScripts.load(RedisStreamListener.class, "group-stats.lua",
			List.class);

	static final RedisScript<List> ENSURE_GROUP = RedisScripts.load(RedisStreamListener.class, "ensure-group.lua",
			List.class);

	static final RedisScript<Long> REPLAY = RedisScripts.load(RedisStreamListener.class, "replay.lua", Long.class);

	private StreamScripts() {
	}

}
