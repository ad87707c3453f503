package io.redispatterns.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Picks TCP ports that are free at the moment of asking. Another process may still take the port
 * before {@code redis-server} binds it; {@link RedisNode} retries with a new port when that happens.
 */
final class FreePorts {

	private FreePorts() {
	}

	static int next() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free TCP port", ex);
		}
	}

	static int nextExcept(int taken) {
		int port = next();
		while (port == taken) {
			port = next();
		}
		return port;
	}

}
