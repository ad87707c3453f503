package io.redispatterns.stream.internal;

import java.util.List;

import io.redispatterns.core.LuaScript;
import io.redispatterns.core.ScriptResult;
import io.redispatterns.stream.RedisStreamListener;


/**
 * Internal: the stream Lua scripts, loaded once.
 */
final class StreamScripts {

	static final LuaScript<List<Object>> PUBLISH = LuaScript.load(RedisStreamListener.class, "publish.lua", ScriptResult.LIST);

	static final LuaScript<Long> DEAD_LETTER = LuaScript.load(RedisStreamListener.class, "dead-letter.lua",
			ScriptResult.LONG);

	static final LuaScript<List<Object>> CLAIM = LuaScript.load(RedisStreamListener.class, "claim.lua", ScriptResult.LIST);

	static final LuaScript<List<Object>> RECLAIM = LuaScript.load(RedisStreamListener.class, "reclaim.lua", ScriptResult.LIST);

	static final LuaScript<List<Object>> GROUP_STATS = LuaScript.load(RedisStreamListener.class, "group-stats.lua",
			ScriptResult.LIST);

	static final LuaScript<List<Object>> ENSURE_GROUP = LuaScript.load(RedisStreamListener.class, "ensure-group.lua",
			ScriptResult.LIST);

	static final LuaScript<Long> REPLAY = LuaScript.load(RedisStreamListener.class, "replay.lua", ScriptResult.LONG);

	private StreamScripts() {
	}

}
