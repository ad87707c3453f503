package io.redispatterns.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * A TCP proxy in front of a redis-server, for causing network faults in tests: a slow network,
 * a black hole (connections accepted, nothing answered), a refused port, connections reset, and
 * — the fault that makes Lettuce re-send a command — the reply to one command dropped and its
 * connection closed.
 * <p>
 * Point a client at {@link #host()}:{@link #port()} (or use {@link #connectionDetails()}) instead
 * of the server. Faults apply to connections from the moment they are set; {@link #heal()} clears
 * them all.
 *
 * <pre class="code">
 * try (RedisProxy proxy = RedisProxy.start(redis.node())) {
 *     proxy.dropReplyOnce("acquire-marker", RedisProxy.Close.FIN); // Lettuce reconnects and re-sends
 *     ... run the operation ...
 *     assertThat(proxy.forwardedCount("acquire-marker")).isEqualTo(2); // the command really ran twice
 * }
 * </pre>
 */
public final class RedisProxy implements AutoCloseable {

	/** How a connection is closed after its reply was dropped. */
	public enum Close {

		/** An orderly close: Lettuce reconnects and re-sends the unanswered command. */
		FIN,

		/** A reset: the unanswered command fails with "Connection reset". */
		RST

	}

	private final String targetHost;

	private final int targetPort;

	private final int port;

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private final Map<String, AtomicInteger> markerCounts = new ConcurrentHashMap<>();

	private final AtomicReference<@Nullable DropRule> dropRule = new AtomicReference<>();

	private volatile long latencyNanos;

	private volatile boolean blackHole;

	private volatile boolean refusing;

	private volatile boolean closed;

	private volatile ServerSocket serverSocket;

	private RedisProxy(String targetHost, int targetPort) {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.serverSocket = openServerSocket(0);
		this.port = this.serverSocket.getLocalPort();
		startAccepting(this.serverSocket);
	}

	/**
	 * Starts a proxy in front of a node.
	 * @param node the server
	 * @return the running proxy
	 */
	public static RedisProxy start(RedisNode node) {
		return start(node.host(), node.port());
	}

	/**
	 * Starts a proxy in front of a server.
	 * @param host the server's host
	 * @param port the server's port
	 * @return the running proxy
	 */
	public static RedisProxy start(String host, int port) {
		return new RedisProxy(host, port);
	}

	/** The proxy's host (loopback). */
	public String host() {
		return "127.0.0.1";
	}

	/** The proxy's port. */
	public int port() {
		return this.port;
	}

	/** Connection details that point Spring Boot at the proxy. */
	public DataRedisConnectionDetails connectionDetails() {
		return ConnectionDetailsFactory.standalone(io.lettuce.core.RedisURI.create(host(), this.port), null);
	}

	/**
	 * Delays every chunk of bytes in both directions.
	 * @param latency the delay per direction, {@link Duration#ZERO} for none
	 */
	public void latency(Duration latency) {
		this.latencyNanos = latency.toNanos();
	}

	/**
	 * Stops forwarding anything while on: connections stay open, commands get no reply, new
	 * connections are accepted and hang.
	 * @param on whether to swallow traffic
	 */
	public void blackHole(boolean on) {
		this.blackHole = on;
	}

	/**
	 * Closes the listening port (new connections are refused) and resets every open connection,
	 * or opens the port again.
	 * @param on whether to refuse
	 */
	public synchronized void refuse(boolean on) {
		if (on == this.refusing) {
			return;
		}
		this.refusing = on;
		if (on) {
			closeQuietly(this.serverSocket);
			resetAll();
		}
		else {
			this.serverSocket = openServerSocket(this.port);
			startAccepting(this.serverSocket);
		}
	}

	/** Resets (RST) every open connection; clients see "Connection reset". */
	public void resetAll() {
		for (Link link : this.links) {
			link.close(Close.RST);
		}
	}

	/**
	 * Arms a one-shot fault: the next command sent through the proxy whose bytes contain
	 * {@code marker} is forwarded to the server (so it runs), its reply is discarded and the
	 * client's connection is closed as {@code close} says.
	 * @param marker bytes (as UTF-8) that identify the command, such as a key or an argument
	 * @param close how to close the connection
	 */
	public void dropReplyOnce(String marker, Close close) {
		this.dropRule.set(new DropRule(marker, close));
	}

	/**
	 * Returns whether the armed {@link #dropReplyOnce} fault has fired.
	 * @return {@code true} once a reply was dropped
	 */
	public boolean dropFired() {
		DropRule rule = this.dropRule.get();
		return rule == null;
	}

	/**
	 * Starts counting how often bytes containing {@code marker} are forwarded to the server.
	 * @param marker the bytes to look for (as UTF-8)
	 */
	public void count(String marker) {
		this.markerCounts.putIfAbsent(marker, new AtomicInteger());
	}

	/**
	 * Returns how often a chunk containing {@code marker} went to the server since
	 * {@link #count(String)} or {@link #dropReplyOnce} named it.
	 * @param marker the marker
	 * @return the number of forwarded chunks containing it
	 */
	public int forwardedCount(String marker) {
		AtomicInteger count = this.markerCounts.get(marker);
		return (count != null) ? count.get() : 0;
	}

	/** Number of client connections open through the proxy. */
	public int openConnections() {
		return this.links.size();
	}

	/** Clears every fault (latency, black hole, refusal, armed drop); open connections stay. */
	public void heal() {
		this.latencyNanos = 0;
		this.blackHole = false;
		this.dropRule.set(null);
		refuse(false);
	}

	@Override
	public void close() {
		this.closed = true;
		closeQuietly(this.serverSocket);
		for (Link link : this.links) {
			link.close(Close.FIN);
		}
	}

	private ServerSocket openServerSocket(int port) {
		try {
			ServerSocket socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			return socket;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot open proxy port " + port, ex);
		}
	}

	private void startAccepting(ServerSocket socket) {
		Thread acceptor = new Thread(() -> accept(socket), "redis-proxy-accept-" + this.port);
		acceptor.setDaemon(true);
		acceptor.start();
	}

	private void accept(ServerSocket socket) {
		while (!this.closed && !socket.isClosed()) {
			try {
				Socket client = socket.accept();
				client.setTcpNoDelay(true);
				Socket server = new Socket(this.targetHost, this.targetPort);
				server.setTcpNoDelay(true);
				Link link = new Link(client, server);
				this.links.add(link);
				link.start();
			}
			catch (IOException ex) {
				// listening socket closed (refuse/close) or the server is down: the client sees a closed connection
			}
		}
	}

	private static void closeQuietly(@Nullable AutoCloseable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// already closed
			}
		}
	}

	private record DropRule(String marker, Close close) {
	}

	/** One client connection and its connection to the server, pumped by two threads. */
	private final class Link {

		private final Socket client;

		private final Socket server;

		private volatile @Nullable Close dropNextReply;

		private volatile boolean closed;

		Link(Socket client, Socket server) {
			this.client = client;
			this.server = server;
		}

		void start() {
			thread("up", this::pumpUp);
			thread("down", this::pumpDown);
		}

		private void thread(String direction, Runnable pump) {
			Thread thread = new Thread(pump, "redis-proxy-" + direction + "-" + this.client.getPort());
			thread.setDaemon(true);
			thread.start();
		}

		private void pumpUp() {
			pump(this.client, this.server, true);
		}

		private void pumpDown() {
			pump(this.server, this.client, false);
		}

		private void pump(Socket from, Socket to, boolean toServer) {
			byte[] buffer = new byte[64 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					delay();
					while (RedisProxy.this.blackHole && !this.closed) {
						Thread.sleep(5);
					}
					if (toServer) {
						inspect(new String(buffer, 0, read, StandardCharsets.UTF_8));
					}
					else if (this.dropNextReply != null) {
						close(this.dropNextReply);
						return;
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException | InterruptedException ex) {
				// one side went away; close both below
			}
			close(Close.FIN);
		}

		private void inspect(String chunk) {
			RedisProxy.this.markerCounts.forEach((marker, count) -> {
				if (chunk.contains(marker)) {
					count.incrementAndGet();
				}
			});
			DropRule rule = RedisProxy.this.dropRule.get();
			if (rule != null && chunk.contains(rule.marker())
					&& RedisProxy.this.dropRule.compareAndSet(rule, null)) {
				RedisProxy.this.markerCounts.computeIfAbsent(rule.marker(), (key) -> new AtomicInteger(1));
				this.dropNextReply = rule.close();
			}
		}

		private void delay() throws InterruptedException {
			long nanos = RedisProxy.this.latencyNanos;
			if (nanos > 0) {
				Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
			}
		}

		synchronized void close(Close how) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			if (how == Close.RST) {
				try {
					this.client.setSoLinger(true, 0);
				}
				catch (SocketException ex) {
					// already closed
				}
			}
			closeQuietly(this.client);
			closeQuietly(this.server);
			RedisProxy.this.links.remove(this);
		}

	}

}
