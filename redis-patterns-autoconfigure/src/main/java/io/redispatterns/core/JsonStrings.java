package io.redispatterns.core;

import org.jspecify.annotations.Nullable;

/**
 * Reads a JSON string literal without a JSON parser when it needs no unescaping: for a value read as a
 * {@code String}, a parser costs more (parser, context and buffers per call) than the work itself.
 */
public final class JsonStrings {

	private JsonStrings() {
	}

	/**
	 * Returns the content of a JSON string literal that contains no backslash, no inner quote and no control
	 * character, which is then exactly the string it denotes.
	 * @param json a JSON text
	 * @return the string, or {@code null} when a JSON parser has to read the text (escapes, {@code null},
	 * another JSON value, or invalid JSON)
	 */
	public static @Nullable String plainContent(String json) {
		int last = json.length() - 1;
		if (last < 1 || json.charAt(0) != '"' || json.charAt(last) != '"') {
			return null;
		}
		for (int i = 1; i < last; i++) {
			char c = json.charAt(i);
			if (c == '\\' || c == '"' || c < 0x20) {
				return null;
			}
		}
		return json.substring(1, last);
	}

}
