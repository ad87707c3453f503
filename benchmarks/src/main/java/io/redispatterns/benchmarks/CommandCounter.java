package io.redispatterns.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.RedisNode;

/**
 * Counts what a piece of client code costs Redis.
 * <p>
 * {@code INFO commandstats} counts every command the server ran, including those a Lua script ran
 * with {@code redis.call}; {@code MONITOR} marks script commands with {@code [0 lua]}, so the lines
 * without it are the commands clients sent (round trips, when nothing is pipelined). {@code INFO},
 * {@code ECHO} (our marker), {@code HELLO} (our counting connections) and {@code PING} (keep-alives) are left out of both counts.
 */
final class CommandCounter {

	private static final Set<String> IGNORED = Set.of("info", "echo", "ping", "monitor", "hello");

	private final RedisNode node;

	CommandCounter(RedisNode node) {
		this.node = node;
	}

	/** Calls per command name ({@code INFO commandstats}), ignored commands left out. */
	CommandCalls commandStats() {
		return CommandCalls.of(this.node).without(IGNORED.toArray(String[]::new));
	}

	/** Starts {@code MONITOR} on its own socket; close the session to stop it and read its counts. */
	MonitorSession monitor() {
		return new MonitorSession(this.node);
	}

	/** One {@code MONITOR} connection counting client and script commands. */
	static final class MonitorSession implements AutoCloseable {

		private final RedisNode node;

		private final Socket socket;

		private final String marker = "bench-marker-" + UUID.randomUUID();

		private final CountDownLatch markerSeen = new CountDownLatch(1);

		private final CountDownLatch started = new CountDownLatch(1);

		private final AtomicLong client = new AtomicLong();

		private final AtomicLong script = new AtomicLong();

		private final Thread reader;

		MonitorSession(RedisNode node) {
			this.node = node;
			try {
				this.socket = new Socket(node.host(), node.port());
				OutputStream out = this.socket.getOutputStream();
				out.write("*1\r\n$7\r\nMONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			this.reader = new Thread(this::read, "monitor-reader");
			this.reader.setDaemon(true);
			this.reader.start();
			try {
				this.started.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private void read() {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					if (line.startsWith("+OK")) {
						this.started.countDown();
						continue;
					}
					if (line.contains(this.marker)) {
						this.markerSeen.countDown();
						continue;
					}
					int open = line.indexOf('[');
					int close = line.indexOf(']', open + 1);
					int quote = line.indexOf('"', close);
					if (open < 0 || close < 0 || quote < 0) {
						continue;
					}
					String command = line.substring(quote + 1, line.indexOf('"', quote + 1)).toLowerCase();
					if (IGNORED.contains(command)) {
						continue;
					}
					if (line.substring(open, close).contains("lua")) {
						this.script.incrementAndGet();
					}
					else {
						this.client.incrementAndGet();
					}
				}
			}
			catch (IOException ex) {
				// socket closed
			}
		}

		/** Waits until every command sent before this call has been seen, then returns the client count. */
		long clientCommands() {
			this.node.commands((commands) -> commands.echo(this.marker));
			try {
				this.markerSeen.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return this.client.get();
		}

		long scriptCommands() {
			return this.script.get();
		}

		@Override
		public void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// ignore
			}
		}

	}

}
