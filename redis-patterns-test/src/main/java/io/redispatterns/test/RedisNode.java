package io.redispatterns.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import org.jspecify.annotations.Nullable;

/**
 * One {@code redis-server} process started from Java (or, for {@code REDIS_URL}, an external server
 * that this module only talks to).
 * <p>
 * The process listens on {@code 127.0.0.1}, never persists data ({@code save ""}, {@code appendonly no})
 * and works in its own directory under {@code java.io.tmpdir}, where {@code redis.conf} and
 * {@code redis.log} live. {@link #restart()} reuses the port and the configuration file (which the server
 * or Sentinel may have rewritten), so a restarted node rejoins its replication group or cluster.
 * <p>
 * Fault control — {@link #stop()}, {@link #kill()}, {@link #restart()}, {@link #pause(Duration)} — throws
 * {@link UnsupportedOperationException} on an external server.
 */
public final class RedisNode {

	static final String HOST = "127.0.0.1";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

	private static final int MAX_BIND_ATTEMPTS = 5;

	enum Kind {

		DATA, CLUSTER, SENTINEL

	}

	private final String name;

	private final Kind kind;

	private final @Nullable Path directory;

	private final @Nullable RedisURI external;

	private @Nullable String externalUrl;

	private volatile int port;

	private volatile int clusterPort;

	private volatile @Nullable Process process;

	private volatile boolean stopsWithOwner;

	private RedisNode(String name, Kind kind, @Nullable Path directory, @Nullable RedisURI external, int port) {
		this.name = name;
		this.kind = kind;
		this.directory = directory;
		this.external = external;
		this.port = port;
	}

	/**
	 * Writes {@code redis.conf} into {@code directory} and starts the process.
	 * @param port the port, or 0 for a free one (retried with a new port when the bind fails)
	 */
	static RedisNode start(String name, Kind kind, Path directory, int port, List<String> configuration) {
		try {
			Files.createDirectories(directory);
			List<String> lines = new ArrayList<>();
			lines.add("bind " + HOST);
			lines.add("daemonize no");
			lines.add("dir " + directory);
			if (kind != Kind.SENTINEL) {
				lines.add("save \"\"");
				lines.add("appendonly no");
			}
			lines.addAll(configuration);
			Files.write(directory.resolve("redis.conf"), lines, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write redis.conf in " + directory, ex);
		}
		RedisNode node = new RedisNode(name, kind, directory, null, port);
		node.launch(port == 0);
		return node;
	}

	static RedisNode external(String url) {
		RedisNode node = new RedisNode("external", Kind.DATA, null, RedisURI.create(url), RedisURI.create(url).getPort());
		node.externalUrl = url;
		return node;
	}

	/** The {@code REDIS_URL} of an external server, else {@code null}. */
	@Nullable String externalUrl() {
		return this.externalUrl;
	}

	/** Host the node listens on ({@code 127.0.0.1} for started nodes). */
	public String host() {
		return (this.external != null) ? this.external.getHost() : HOST;
	}

	/** Port the node listens on; stays the same across {@link #restart()}. */
	public int port() {
		return this.port;
	}

	/** Cluster bus port, or 0 when the node is not a Cluster node. */
	public int clusterPort() {
		return this.clusterPort;
	}

	/** Short name of the node within its deployment, such as {@code master} or {@code node-2}. */
	public String name() {
		return this.name;
	}

	/** URI of the node: {@code redis://127.0.0.1:PORT}, or the {@code REDIS_URL} of an external server. */
	public String uri() {
		return (this.externalUrl != null) ? this.externalUrl : "redis://" + HOST + ":" + this.port;
	}

	/** Lettuce {@link RedisURI} of the node (with credentials for an external server). */
	public RedisURI redisUri() {
		return (this.external != null) ? this.external : LettuceClients.uri(HOST, this.port);
	}

	/** Whether this node was not started by this module but given through {@code REDIS_URL}. */
	public boolean isExternal() {
		return this.external != null;
	}

	/** Whether the process is alive (for an external server: whether it answers {@code PING}). */
	public boolean isRunning() {
		if (this.external != null) {
			try {
				return "PONG".equals(execute(RedisCommands::ping));
			}
			catch (RuntimeException ex) {
				return false;
			}
		}
		Process current = this.process;
		return current != null && current.isAlive();
	}

	/**
	 * Runs commands on a new connection to this node, closed afterwards.
	 * @param action what to do with the connection
	 */
	public void commands(Consumer<RedisCommands<String, String>> action) {
		execute((commands) -> {
			action.accept(commands);
			return null;
		});
	}

	/**
	 * Runs commands on a new connection to this node, closed afterwards, and returns a result.
	 * @param action what to do with the connection
	 * @param <T> type of the result
	 * @return what {@code action} returned
	 */
	public <T> T execute(Function<RedisCommands<String, String>, T> action) {
		return LettuceClients.execute(redisUri(), action);
	}

	<T> T executeOnSentinel(Function<RedisSentinelCommands<String, String>, T> action) {
		return LettuceClients.executeOnSentinel(redisUri(), action);
	}

	/** Stops the server gracefully with {@code SHUTDOWN NOSAVE}; falls back to SIGTERM, then SIGKILL. */
	public synchronized void stop() {
		requireEmbedded("stop");
		Process current = this.process;
		if (current == null || !current.isAlive()) {
			return;
		}
		RespSocket.send(HOST, this.port, 1000, "SHUTDOWN", "NOSAVE");
		if (!waitForExit(current, 3000)) {
			current.destroy();
			if (!waitForExit(current, 2000)) {
				current.destroyForcibly();
				waitForExit(current, 2000);
			}
		}
		LiveProcesses.unregister(current);
	}

	/**
	 * Leaves stopping this server to its owner on JVM shutdown (see {@link LiveProcesses}): the
	 * development server stops with its application context, after everything that uses it.
	 */
	void stopsWithOwner() {
		this.stopsWithOwner = true;
		Process current = this.process;
		if (current != null) {
			LiveProcesses.stopsWithOwner(current);
		}
	}

	/** The process id of the running server, if it runs here. */
	public java.util.OptionalLong pid() {
		Process current = this.process;
		return (current != null && current.isAlive()) ? java.util.OptionalLong.of(current.pid()) : java.util.OptionalLong.empty();
	}

	/** Kills the process with SIGKILL: no shutdown, clients see the connection drop. */
	public synchronized void kill() {
		requireEmbedded("kill");
		Process current = this.process;
		if (current == null) {
			return;
		}
		current.destroyForcibly();
		waitForExit(current, 5000);
		LiveProcesses.unregister(current);
	}

	/** Stops the server if it runs, then starts it again on the same port with the same configuration file. */
	public synchronized void restart() {
		requireEmbedded("restart");
		stop();
		launch(false);
	}

	/**
	 * Pauses all clients of the server ({@code CLIENT PAUSE <millis> ALL}); the call returns at once.
	 * @param duration how long the server keeps clients waiting
	 */
	public void pause(Duration duration) {
		requireEmbedded("pause");
		commands((commands) -> commands.clientPause(duration.toMillis()));
	}

	/** Last lines of the server's log file (empty for an external server). */
	public String logTail() {
		if (this.directory == null) {
			return "";
		}
		Path log = this.directory.resolve("redis.log");
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 25), lines.size()));
		}
		catch (IOException ex) {
			return "(no log at " + log + ")";
		}
	}

	@Override
	public String toString() {
		return this.name + "@" + host() + ":" + this.port;
	}

	private void launch(boolean mayChangePort) {
		int attempts = mayChangePort ? MAX_BIND_ATTEMPTS : 1;
		for (int attempt = 1; attempt <= attempts; attempt++) {
			if (mayChangePort) {
				this.port = FreePorts.next();
				if (this.kind == Kind.CLUSTER) {
					this.clusterPort = FreePorts.nextExcept(this.port);
				}
			}
			Process started = startProcess();
			if (awaitReady(started)) {
				this.process = started;
				if (this.stopsWithOwner) {
					LiveProcesses.stopsWithOwner(started);
				}
				return;
			}
			started.destroyForcibly();
			waitForExit(started, 2000);
			LiveProcesses.unregister(started);
			String log = logTail();
			boolean portTaken = log.contains("Address already in use");
			if (!portTaken || attempt == attempts) {
				throw new RedisStartException("redis-server " + this + " did not start" + (portTaken ? " (port in use)" : "")
						+ "; log tail:" + System.lineSeparator() + log);
			}
		}
	}

	private Process startProcess() {
		Path dir = this.directory;
		if (dir == null) {
			throw new IllegalStateException("external node");
		}
		List<String> command = new ArrayList<>(NewSession.prefix());
		command.add(RedisServerBinary.path().getAbsolutePath());
		command.add(dir.resolve("redis.conf").toString());
		if (this.kind == Kind.SENTINEL) {
			command.add("--sentinel");
		}
		command.add("--port");
		command.add(Integer.toString(this.port));
		if (this.kind == Kind.CLUSTER) {
			command.add("--cluster-port");
			command.add(Integer.toString(this.clusterPort));
		}
		File log = dir.resolve("redis.log").toFile();
		ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log));
		try {
			Process started = builder.start();
			LiveProcesses.register(started);
			return started;
		}
		catch (IOException ex) {
			throw new RedisStartException("Cannot run " + command, ex);
		}
	}

	private boolean awaitReady(Process started) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!started.isAlive()) {
				return false;
			}
			if (RespSocket.ping(HOST, this.port)) {
				return true;
			}
			Await.sleep(20);
		}
		return false;
	}

	private void requireEmbedded(String operation) {
		if (this.external != null) {
			throw new UnsupportedOperationException(operation + "() needs a redis-server started by redis-patterns-test, but "
					+ this.external.getHost() + ":" + this.external.getPort()
					+ " is the external server given by REDIS_URL. Unset REDIS_URL to run fault-injection tests.");
		}
	}

	private static boolean waitForExit(Process process, long millis) {
		try {
			return process.waitFor(millis, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return !process.isAlive();
		}
	}

}
