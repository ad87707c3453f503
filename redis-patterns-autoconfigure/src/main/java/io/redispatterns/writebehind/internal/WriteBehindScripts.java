package io.redispatterns.writebehind.internal;

import java.util.List;

import io.redispatterns.core.LuaScript;
import io.redispatterns.core.ScriptResult;
import io.redispatterns.writebehind.WriteBehind;

/**
 * Internal: the write-behind scripts, one per state change, each prefixed with the shared prelude.
 */
final class WriteBehindScripts {

	static final LuaScript<Long> WRITE = load("write.lua", ScriptResult.LONG);

	static final LuaScript<List<Object>> TAKE = load("take.lua", ScriptResult.LIST);

	static final LuaScript<Long> EXTEND = load("extend.lua", ScriptResult.LONG);

	static final LuaScript<Long> ACK = load("ack.lua", ScriptResult.LONG);

	static final LuaScript<Long> FAIL = load("fail.lua", ScriptResult.LONG);

	static final LuaScript<Long> RELEASE = load("release.lua", ScriptResult.LONG);

	static final LuaScript<List<Object>> STATE = load("state.lua", ScriptResult.LIST);

	private WriteBehindScripts() {
	}

	private static <T> LuaScript<T> load(String name, ScriptResult<T> type) {
		return LuaScript.compose(WriteBehind.class, type, "prelude.lua", name);
	}

}
