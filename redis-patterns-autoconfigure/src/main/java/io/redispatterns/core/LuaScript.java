package io.redispatterns.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.core.io.ClassPathResource;

/**
 * A Lua script: its text, read once (from the classpath or a {@code String}), its SHA-1, computed
 * once, and its declared {@link ScriptResult result type}. Immutable; keep one instance per script
 * (a {@code static final} field) and run it with {@link LuaScriptRunner} ({@code EVALSHA}, falling
 * back to {@code EVAL} when the server answers {@code NOSCRIPT}). Scripts touch only the keys passed
 * in {@code KEYS}, so they run on Cluster and under ACLs.
 *
 * @param <T> the script's result type
 */
public final class LuaScript<T> {

	private final String text;

	private final byte[] textBytes;

	private final String sha1;

	private final ScriptResult<T> result;

	private LuaScript(String text, ScriptResult<T> result) {
		this.text = text;
		this.textBytes = text.getBytes(StandardCharsets.UTF_8);
		this.sha1 = sha1(this.textBytes);
		this.result = result;
	}

	/**
	 * Creates a script from its text.
	 * @param <T> the script's result type
	 * @param text the Lua source
	 * @param result the declared result type
	 * @return the script, its SHA computed once
	 */
	public static <T> LuaScript<T> of(String text, ScriptResult<T> result) {
		return new LuaScript<>(text, result);
	}

	/**
	 * Loads a script that lives in the package of {@code anchor}
	 * ({@code src/main/resources/<package>/<fileName>}).
	 * @param <T> the script's result type
	 * @param anchor a class of the script's package
	 * @param fileName the script's file name, such as {@code gcra.lua}
	 * @param result the declared result type
	 * @return the script, read once and its SHA computed once
	 * @throws IllegalStateException when the resource does not exist or cannot be read
	 */
	public static <T> LuaScript<T> load(Class<?> anchor, String fileName, ScriptResult<T> result) {
		return compose(anchor, result, fileName);
	}

	/**
	 * Builds one script from several resources of the package of {@code anchor}, joined in order:
	 * shared helpers kept in separate files, sent to Redis as one script (one {@code EVALSHA}).
	 * Later files see the {@code local}s of earlier ones.
	 * @param <T> the script's result type
	 * @param anchor a class of the scripts' package
	 * @param result the declared result type
	 * @param fileNames the script files, in order
	 * @return the script, read once and its SHA computed once
	 * @throws IllegalStateException when a resource does not exist or cannot be read
	 */
	public static <T> LuaScript<T> compose(Class<?> anchor, ScriptResult<T> result, String... fileNames) {
		StringBuilder text = new StringBuilder();
		for (String fileName : fileNames) {
			ClassPathResource resource = new ClassPathResource(fileName, anchor);
			if (!resource.exists()) {
				throw new IllegalStateException("Lua script " + resource.getPath() + " is missing from the classpath");
			}
			try {
				text.append("-- ")
					.append(fileName)
					.append('\n')
					.append(resource.getContentAsString(StandardCharsets.UTF_8))
					.append('\n');
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot read Lua script " + resource.getPath(), ex);
			}
		}
		return new LuaScript<>(text.toString(), result);
	}

	/**
	 * Returns the Lua source.
	 * @return the text
	 */
	public String text() {
		return this.text;
	}

	/**
	 * Returns the Lua source as UTF-8, as sent with {@code EVAL}.
	 * @return the bytes; callers must not modify them
	 */
	byte[] textBytes() {
		return this.textBytes;
	}

	/**
	 * Returns the script's SHA-1, as sent with {@code EVALSHA}.
	 * @return the lower-case hex digest
	 */
	public String sha1() {
		return this.sha1;
	}

	/**
	 * Returns the declared result type.
	 * @return the result type
	 */
	public ScriptResult<T> result() {
		return this.result;
	}

	@Override
	public String toString() {
		return "LuaScript[sha1=" + this.sha1 + ", result=" + this.result + "]";
	}

	private static String sha1(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is not available", ex);
		}
	}

}
