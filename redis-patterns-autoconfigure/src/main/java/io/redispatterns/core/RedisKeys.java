package io.redispatterns.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * Builds every key the library writes: {@code <prefix>:<pattern>:<name>:<id>}.
 * <p>
 * The {@code name} (a policy, cache or lock name) and {@code id} (an IP address, user id,
 * header value) parts may come from users, so they are escaped: {@code :}, glob characters
 * ({@code * ? [ ]}), hash-tag braces ({@code { }}), {@code %}, {@code ~}, {@code \}, whitespace,
 * control and non-ASCII characters are percent-encoded (UTF-8). An escaped part longer than
 * {@value #MAX_PART_LENGTH} characters is cut and suffixed with {@code ~} and a SHA-256 digest
 * of the whole part, so distinct inputs stay distinct keys while keys stay short.
 * <p>
 * Keys that one Lua script touches together must live in one Cluster slot: build them with
 * {@link #tagged(String, String, String, String...)}, which wraps the id in a hash tag so that
 * {@code shop:rl:quotes:{203.0.113.9}} and {@code shop:rl:hourly:{203.0.113.9}} share a slot.
 * Because escaped parts never contain braces, the hash tag is exactly the escaped id.
 */
public final class RedisKeys {

	/** Longest escaped name or id part kept verbatim; longer parts are cut and hashed. */
	public static final int MAX_PART_LENGTH = 128;

	private static final int KEPT_BEFORE_DIGEST = 64;

	private static final char SEPARATOR = ':';

	private final String prefix;

	/**
	 * Creates a key builder.
	 * @param prefix the application's key prefix, validated with {@link #validatePrefix(String)}
	 */
	public RedisKeys(String prefix) {
		String problem = validatePrefix(prefix);
		if (problem != null) {
			throw new IllegalArgumentException("Invalid key prefix '" + prefix + "': " + problem);
		}
		this.prefix = prefix;
	}

	/**
	 * Returns the key prefix every key starts with.
	 * @return the prefix
	 */
	public String prefix() {
		return this.prefix;
	}

	/**
	 * Builds {@code <prefix>:<pattern>:<name>:<id>} with {@code name} and {@code id} escaped.
	 * @param pattern the pattern's short name, such as {@code rl} or {@code lock} (library-chosen)
	 * @param name the policy, cache or lock name
	 * @param id the user-supplied identifier
	 * @return the key
	 */
	public String key(String pattern, String name, String id) {
		return namespace(pattern, name) + escape(id);
	}

	/**
	 * Builds {@code <prefix>:<pattern>:<name>:{<id>}[:<suffix>...]}: a key whose Cluster slot is
	 * decided by the escaped id alone, so every key built with the same id shares one slot.
	 * @param pattern the pattern's short name (library-chosen)
	 * @param name the policy, cache or lock name
	 * @param id the user-supplied identifier, used as the hash tag
	 * @param suffixes library-chosen trailing parts, such as {@code fence}
	 * @return the key
	 */
	public String tagged(String pattern, String name, String id, String... suffixes) {
		StringBuilder key = new StringBuilder(namespace(pattern, name)).append('{').append(escape(id)).append('}');
		for (String suffix : suffixes) {
			key.append(SEPARATOR).append(escape(suffix));
		}
		return key.toString();
	}

	/**
	 * Returns {@code <prefix>:<pattern>:<name>:}, the start shared by every key of one name.
	 * @param pattern the pattern's short name
	 * @param name the policy, cache or lock name
	 * @return the namespace, ending with {@code :}
	 */
	public String namespace(String pattern, String name) {
		return namespace(pattern) + escape(name) + SEPARATOR;
	}

	/**
	 * Returns {@code <prefix>:<pattern>:}, the start shared by every key of one pattern.
	 * @param pattern the pattern's short name
	 * @return the namespace, ending with {@code :}
	 */
	public String namespace(String pattern) {
		return this.prefix + SEPARATOR + requireLibraryPart(pattern) + SEPARATOR;
	}

	/**
	 * Returns a {@code SCAN MATCH} pattern for every key of one name. The namespace contains no
	 * unescaped glob characters, so the pattern matches nothing outside it.
	 * @param pattern the pattern's short name
	 * @param name the policy, cache or lock name
	 * @return a glob such as {@code shop:cache:products:*}
	 */
	public String scanPattern(String pattern, String name) {
		return namespace(pattern, name) + "*";
	}

	/**
	 * Returns, as UTF-8 in one array, the key {@link #tagged(String, String, String, String...)}
	 * builds from a namespace and an id (no suffixes): for hot paths that send keys as bytes and
	 * keep the namespace's bytes.
	 * @param namespace the UTF-8 bytes of {@link #namespace(String, String)}
	 * @param id the raw id
	 * @return the bytes of {@code <namespace>{<escaped id>}}
	 */
	public static byte[] taggedBytes(byte[] namespace, String id) {
		int length = id.length();
		boolean unescaped = length <= MAX_PART_LENGTH;
		for (int i = 0; i < length && unescaped; i++) {
			unescaped = isSafe(id.charAt(i));
		}
		if (!unescaped) {
			return (new String(namespace, StandardCharsets.UTF_8) + '{' + escape(id) + '}')
				.getBytes(StandardCharsets.UTF_8);
		}
		// every safe character is ASCII: one byte each, nothing to escape
		byte[] key = new byte[namespace.length + length + 2];
		System.arraycopy(namespace, 0, key, 0, namespace.length);
		key[namespace.length] = '{';
		for (int i = 0; i < length; i++) {
			key[namespace.length + 1 + i] = (byte) id.charAt(i);
		}
		key[key.length - 1] = '}';
		return key;
	}

	/**
	 * Escapes one user-supplied key part (see the class description).
	 * @param part the raw part; may be empty
	 * @return the escaped, length-capped part
	 */
	public static String escape(String part) {
		if (part.length() <= MAX_PART_LENGTH && isSafe(part)) {
			// nothing to escape (the common case): no copy, this runs for every key of every operation
			return part;
		}
		byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
		StringBuilder escaped = new StringBuilder(utf8.length + 8);
		for (byte b : utf8) {
			int c = b & 0xFF;
			if (isSafe(c)) {
				escaped.append((char) c);
			}
			else {
				escaped.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
					.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
			}
		}
		if (escaped.length() <= MAX_PART_LENGTH) {
			return escaped.toString();
		}
		return escaped.substring(0, KEPT_BEFORE_DIGEST) + "~" + sha256(utf8);
	}

	/**
	 * Checks a configured key prefix.
	 * @param prefix the candidate prefix
	 * @return a description of what is wrong, or {@code null} when the prefix is usable
	 */
	public static @Nullable String validatePrefix(String prefix) {
		if (prefix.isBlank()) {
			return "must not be blank";
		}
		if (prefix.length() > 64) {
			return "must be at most 64 characters";
		}
		for (int i = 0; i < prefix.length(); i++) {
			char c = prefix.charAt(i);
			if (c != SEPARATOR && !isSafe(c)) {
				return "may contain only letters, digits and '.', '_', '-', '/', '=', '+', '@', ':' (found '" + c
						+ "')";
			}
		}
		return null;
	}

	/**
	 * Turns a value such as {@code spring.application.name} into a usable prefix.
	 * @param candidate the value, possibly with spaces or other characters
	 * @return a prefix that passes {@link #validatePrefix(String)}
	 */
	public static String sanitizePrefix(String candidate) {
		StringBuilder sanitized = new StringBuilder();
		for (int i = 0; i < candidate.length() && sanitized.length() < 64; i++) {
			char c = candidate.charAt(i);
			sanitized.append(isSafe(c) ? c : '-');
		}
		return sanitized.isEmpty() ? "app" : sanitized.toString();
	}

	private static boolean isSafe(String part) {
		for (int i = 0; i < part.length(); i++) {
			if (!isSafe(part.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	private static boolean isSafe(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
				|| c == '-' || c == '/' || c == '=' || c == '+' || c == '@';
	}

	private static String requireLibraryPart(String part) {
		if (part.isEmpty() || !escape(part).equals(part)) {
			throw new IllegalArgumentException("Pattern names are library-chosen and must be plain: '" + part + "'");
		}
		return part;
	}

	private static String sha256(byte[] bytes) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
			return HexFormat.of().formatHex(digest, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

}
