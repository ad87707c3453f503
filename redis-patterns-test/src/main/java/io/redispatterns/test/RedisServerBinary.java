package io.redispatterns.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.jspecify.annotations.Nullable;
import redis.embedded.RedisExecProvider;

/**
 * Locates the {@code redis-server} executable: {@code REDIS_SERVER_BIN} when set, else the binary
 * shipped inside {@code org.signal:embedded-redis} for this OS and architecture (extracted once per JVM).
 */
final class RedisServerBinary {

	static final String ENV_VARIABLE = "REDIS_SERVER_BIN";

	private static @Nullable File resolved;

	private RedisServerBinary() {
	}

	static synchronized File path() {
		if (resolved == null) {
			resolved = resolve();
		}
		return resolved;
	}

	private static File resolve() {
		String fromEnvironment = System.getenv(ENV_VARIABLE);
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			File file = new File(fromEnvironment);
			if (!file.canExecute()) {
				throw new RedisStartException(ENV_VARIABLE + "=" + fromEnvironment + " is not an executable file");
			}
			return file;
		}
		try {
			File file = RedisExecProvider.defaultProvider().get();
			if (!file.canExecute() && !file.setExecutable(true)) {
				throw new RedisStartException("Cannot make " + file + " executable");
			}
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot extract redis-server from the embedded-redis jar", ex);
		}
	}

}
