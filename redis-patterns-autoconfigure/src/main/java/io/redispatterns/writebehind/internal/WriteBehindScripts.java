package io.redispatterns.writebehind.internal;

import java.util.List;

import io.redispatterns.core.RedisScripts;
import io.redispatterns.writebehind.WriteBehind;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * Internal: the write-behind scripts, one per state change, each prefixed with the shared prelude.
 */
final class WriteBehindScripts {

	static final RedisScript<Long> WRITE = load("write.lua", Long.class);

	static final RedisScript<List> TAKE = load("take.lua", List.class);

	static final RedisScript<Long> EXTEND = load("extend.lua", Long.class);

	static final RedisScript<Long> ACK = load("ack.lua", Long.class);

	static final RedisScript<Long> FAIL = load("fail.lua", Long.class);

	static final RedisScript<Long> RELEASE = load("release.lua", Long.class);

	static final RedisScript<List> STATE = load("state.lua", List.class);

	private WriteBehindScripts() {
	}

	private static <T> RedisScript<T> load(String name, Class<T> type) {
		return RedisScripts.compose(WriteBehind.class, type, "prelude.lua", name);
	}

}
