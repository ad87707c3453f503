package io.redispatterns.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Loads the Lua scripts each pattern keeps as resources beside its classes
 * ({@code src/main/resources/io/redispatterns/<pattern>/<name>.lua}).
 * <p>
 * The returned {@link RedisScript} is run through Spring Data Redis's script executor, which
 * sends {@code EVALSHA} and falls back to {@code EVAL} (loading the script again) when the
 * server answers {@code NOSCRIPT}, for example after a restart or {@code SCRIPT FLUSH}.
 * Scripts touch only the keys passed in {@code KEYS}, so they run on Cluster and under ACLs.
 */
public final class RedisScripts {

	private RedisScripts() {
	}

	/**
	 * Loads a script that lives in the package of {@code anchor}.
	 * @param <T> the script's result type
	 * @param anchor a class of the pattern's package
	 * @param fileName the script's file name, such as {@code gcra.lua}
	 * @param resultType the result type ({@code Long}, {@code List}, {@code Boolean} or {@code String})
	 * @return the script, read once and its SHA computed once
	 * @throws IllegalStateException when the resource does not exist or cannot be read
	 */
	public static <T> RedisScript<T> load(Class<?> anchor, String fileName, Class<T> resultType) {
		// From the text, not the resource location: a location-based script re-checks the resource's
		// last-modified time (a jar lookup) on every execution to decide whether its SHA is stale.
		return compose(anchor, resultType, fileName);
	}

	/**
	 * Builds one script from several resources of the package of {@code anchor}, joined in
	 * order: shared helpers and building blocks kept in separate files, sent to Redis as one
	 * script (one {@code EVALSHA}). Later files see the {@code local}s of earlier ones.
	 * @param <T> the script's result type
	 * @param anchor a class of the pattern's package
	 * @param resultType the result type
	 * @param fileNames the script files, in order
	 * @return the script, its SHA computed once
	 * @throws IllegalStateException when a resource does not exist or cannot be read
	 */
	public static <T> RedisScript<T> compose(Class<?> anchor, Class<T> resultType, String... fileNames) {
		StringBuilder text = new StringBuilder();
		for (String fileName : fileNames) {
			ClassPathResource resource = new ClassPathResource(fileName, anchor);
			if (!resource.exists()) {
				throw new IllegalStateException("Lua script " + resource.getPath() + " is missing from the classpath");
			}
			try {
				text.append("-- ").append(fileName).append('\n')
					.append(resource.getContentAsString(StandardCharsets.UTF_8))
					.append('\n');
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot read Lua script " + resource.getPath(), ex);
			}
		}
		DefaultRedisScript<T> script = new DefaultRedisScript<>(text.toString(), resultType);
		script.getSha1();
		return script;
	}

}
