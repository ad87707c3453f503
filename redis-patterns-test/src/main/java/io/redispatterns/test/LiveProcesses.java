package io.redispatterns.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Registry of every {@code redis-server} process and working directory this JVM created. One shutdown
 * hook kills the processes that are still alive and deletes the directories, so nothing outlives the
 * JVM — also when a test failed before it could close its deployment.
 * <p>
 * A process {@linkplain #stopsWithOwner(Process) owned} by an application context (the development
 * server) is left to that context first: JVM shutdown hooks run concurrently, and killing it at once
 * would pull Redis out from under an application that is still shutting down gracefully (reconnect
 * warnings, lost writes of in-flight work). The hook kills it only if the owner has not stopped it
 * within {@link #OWNER_GRACE}.
 */
final class LiveProcesses {

	private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();

	private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

	private static final Set<Process> OWNED = ConcurrentHashMap.newKeySet();

	/** How long the hook waits for an owner to stop its server; above Spring Boot's default graceful shutdown (30 s). */
	static final java.time.Duration OWNER_GRACE = java.time.Duration.ofSeconds(40);

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(LiveProcesses::cleanUp, "redis-patterns-test-cleanup"));
	}

	private LiveProcesses() {
	}

	static void register(Process process) {
		PROCESSES.add(process);
	}

	static void unregister(Process process) {
		PROCESSES.remove(process);
		OWNED.remove(process);
	}

	/** Marks a registered process as stopped by its owner on shutdown; the hook then waits for it first. */
	static void stopsWithOwner(Process process) {
		OWNED.add(process);
	}

	static boolean isOwned(Process process) {
		return OWNED.contains(process);
	}

	static Path createDirectory(String prefix) {
		try {
			Path base = Path.of(System.getProperty("java.io.tmpdir"));
			Files.createDirectories(base);
			Path directory = Files.createTempDirectory(base, prefix).toAbsolutePath();
			DIRECTORIES.add(directory);
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a working directory for redis-server", ex);
		}
	}

	static void deleteDirectory(Path directory) {
		DIRECTORIES.remove(directory);
		deleteRecursively(directory);
	}

	static int aliveCount() {
		return (int) PROCESSES.stream().filter(Process::isAlive).count();
	}

	private static void cleanUp() {
		for (Process process : PROCESSES) {
			if (!OWNED.contains(process)) {
				process.destroyForcibly();
			}
		}
		for (Process process : OWNED) {
			try {
				process.onExit().get(OWNER_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
			}
			catch (Exception ex) {
				process.destroyForcibly();
			}
		}
		for (Process process : PROCESSES) {
			try {
				process.onExit().get(2, java.util.concurrent.TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				// the JVM is going away; nothing more to do
			}
		}
		DIRECTORIES.forEach(LiveProcesses::deleteRecursively);
	}

	private static void deleteRecursively(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// best effort: a file may vanish while we walk (redis-server rewriting its config)
		}
	}

}
