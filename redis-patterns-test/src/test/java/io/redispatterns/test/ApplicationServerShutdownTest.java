package io.redispatterns.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The development server outlives the application that uses it: a terminal's Ctrl-C does not reach it,
 * and on SIGTERM the application's shutdown can still talk to it before it stops.
 */
class ApplicationServerShutdownTest {

	@Test
	void applicationServerRunsInASessionOfItsOwn() throws IOException {
		assumeThat(Path.of("/proc/self/stat")).as("Linux /proc").exists();
		try (StandaloneRedis redis = EmbeddedRedis.startApplicationServer(0)) {
			long pid = redis.node().pid().orElseThrow();
			assertThat(sessionOf(Path.of("/proc/" + pid + "/stat")))
				.as("a Ctrl-C sent to the JVM's terminal session does not reach redis-server")
				.isNotEqualTo(sessionOf(Path.of("/proc/self/stat")));
		}
	}

	@Test
	void sigtermLetsTheApplicationUseRedisUntilItHasShutDown() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process app = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				"io.redispatterns.test.shutdown.ShutdownProbeApplication")
			.redirectErrorStream(true)
			.start();
		List<String> lines = new CopyOnWriteArrayList<>();
		Thread reader = new Thread(() -> readLines(app, lines), "probe-output");
		reader.start();
		try {
			await().atMost(60, TimeUnit.SECONDS).until(() -> lines.contains("probe: ready") || !app.isAlive());
			assertThat(lines).as("the probe application started: %s", lines).contains("probe: ready");
			long redisPid = lines.stream()
				.filter((line) -> line.startsWith("probe: redis-pid "))
				.mapToLong((line) -> Long.parseLong(line.substring("probe: redis-pid ".length())))
				.findFirst()
				.orElseThrow();
			// SIGTERM through the handle: Process.destroy() would also close our end of its output
			app.toHandle().destroy();
			assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
			reader.join(10_000);
			assertThat(lines).as("output: %s", lines).contains("probe: shutdown ping PONG");
			assertThat(ProcessHandle.of(redisPid).map(ProcessHandle::isAlive).orElse(false))
				.as("the server stopped with the application, not left behind")
				.isFalse();
		}
		finally {
			app.destroyForcibly();
		}
	}

	private static String sessionOf(Path stat) throws IOException {
		String content = Files.readString(stat);
		// fields after the parenthesised command name: state ppid pgrp session ...
		String[] fields = content.substring(content.lastIndexOf(')') + 2).split(" ");
		return fields[3];
	}

	private static void readLines(Process process, List<String> lines) {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				lines.add(line);
			}
		}
		catch (IOException ex) {
			// the process ended
		}
	}

}
