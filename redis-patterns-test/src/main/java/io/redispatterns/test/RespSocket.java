package io.redispatterns.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * A minimal RESP client over a plain socket, used where a Lettuce connection would be too heavy or
 * would fight the command: readiness probes ({@code PING}) and {@code SHUTDOWN NOSAVE}.
 */
final class RespSocket {

	private RespSocket() {
	}

	/** Sends one command and returns the first reply line, or {@code null} when nothing could be read. */
	static @Nullable String send(String host, int port, int timeoutMillis, String... command) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), timeoutMillis);
			socket.setSoTimeout(timeoutMillis);
			OutputStream out = socket.getOutputStream();
			out.write(encode(command));
			out.flush();
			BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			return in.readLine();
		}
		catch (IOException ex) {
			return null;
		}
	}

	static boolean ping(String host, int port) {
		return "+PONG".equals(send(host, port, 500, "PING"));
	}

	private static byte[] encode(String... command) {
		StringBuilder resp = new StringBuilder("*").append(command.length).append("\r\n");
		for (String part : command) {
			byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
			resp.append('$').append(bytes.length).append("\r\n").append(part).append("\r\n");
		}
		return resp.toString().getBytes(StandardCharsets.UTF_8);
	}

}
