package io.redispatterns.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts {@code redis-server} in a session of its own where {@code setsid} exists (Linux). A terminal
 * sends Ctrl-C (SIGINT) to its whole foreground process group: without a new session the server would
 * receive it together with the JVM and stop at once, before the application had shut down.
 */
final class NewSession {

	private static final List<String> PREFIX = detect();

	private NewSession() {
	}

	/** The command words to put in front of the server's command line; empty where {@code setsid} is missing. */
	static List<String> prefix() {
		return PREFIX;
	}

	private static List<String> detect() {
		for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
			if (Files.isExecutable(Path.of(candidate))) {
				return List.of(candidate);
			}
		}
		return List.of();
	}

}
