package io.redispatterns.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ReturnType;

/**
 * The declared result type of a {@link LuaScript}: the reply type Redis is asked for and how the
 * reply is turned into a Java value. Declared once with the script, never guessed from its text.
 *
 * @param <T> the Java type of the result
 */
public final class ScriptResult<T> {

	/** An integer reply, as a {@link Long}. */
	public static final ScriptResult<Long> LONG = new ScriptResult<>("LONG", ReturnType.INTEGER,
			(reply) -> (Long) reply);

	/** A boolean reply (a Lua {@code true}/{@code 1} is {@code true}, {@code false}/{@code nil} is {@code false}). */
	public static final ScriptResult<Boolean> BOOLEAN = new ScriptResult<>("BOOLEAN", ReturnType.BOOLEAN,
			(reply) -> (Boolean) reply);

	/** A bulk-string reply decoded as UTF-8. */
	public static final ScriptResult<String> STRING = new ScriptResult<>("STRING", ReturnType.VALUE,
			ScriptResult::text);

	/**
	 * A table reply: bulk strings decoded as UTF-8 {@link String}s, integers as {@link Long}s, nested
	 * tables as lists, {@code nil} items as {@code null}.
	 */
	public static final ScriptResult<List<Object>> LIST = new ScriptResult<>("LIST", ReturnType.MULTI,
			(reply) -> list(reply, true));

	/** A table reply whose bulk strings stay raw {@code byte[]} (binary payloads). */
	public static final ScriptResult<List<Object>> RAW_LIST = new ScriptResult<>("RAW_LIST",
			ReturnType.MULTI, (reply) -> list(reply, false));

	/**
	 * A table of integers (nested tables flattened in order) as a {@code long[]}: no boxing per item
	 * where the client can read the reply straight into the array (Lettuce).
	 */
	public static final ScriptResult<long[]> LONG_ARRAY = new ScriptResult<>("LONG_ARRAY", ReturnType.MULTI,
			ScriptResult::longs);

	private final String name;

	private final ReturnType returnType;

	private final Function<Object, T> decoder;

	private ScriptResult(String name, ReturnType returnType, Function<Object, T> decoder) {
		this.name = name;
		this.returnType = returnType;
		this.decoder = decoder;
	}

	/**
	 * Returns the reply type requested from Redis.
	 * @return Spring Data Redis's return type
	 */
	public ReturnType returnType() {
		return this.returnType;
	}

	/**
	 * Turns a client's raw reply (bulk strings as {@code byte[]} or already decoded {@code String}s)
	 * into the declared type.
	 * @param reply the raw reply, {@code null} for a {@code nil} reply
	 * @return the result, {@code null} for a {@code nil} reply
	 */
	public @Nullable T decode(@Nullable Object reply) {
		if (reply == null) {
			return null;
		}
		return this.decoder.apply(reply);
	}

	@Override
	public String toString() {
		return this.name;
	}

	private static @Nullable String text(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return (value != null) ? value.toString() : null;
	}

	private static List<Object> list(Object reply, boolean decodeStrings) {
		List<?> items = (List<?>) reply;
		List<Object> result = new ArrayList<>(items.size());
		for (Object item : items) {
			if (item instanceof List<?> nested) {
				result.add(list(nested, decodeStrings));
			}
			else if (decodeStrings && item instanceof byte[]) {
				result.add(text(item));
			}
			else {
				result.add(item);
			}
		}
		return result;
	}

	private static long[] longs(Object reply) {
		if (reply instanceof long[] longs) {
			return longs;
		}
		List<Long> flat = new ArrayList<>();
		flatten((List<?>) reply, flat);
		long[] longs = new long[flat.size()];
		for (int i = 0; i < longs.length; i++) {
			longs[i] = flat.get(i);
		}
		return longs;
	}

	private static void flatten(List<?> items, List<Long> into) {
		for (Object item : items) {
			if (item instanceof List<?> nested) {
				flatten(nested, into);
			}
			else if (item instanceof Number number) {
				into.add(number.longValue());
			}
			else {
				throw new IllegalStateException("Expected an integer in the script's reply, got " + item);
			}
		}
	}

}
