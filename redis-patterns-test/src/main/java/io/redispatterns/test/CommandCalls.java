package io.redispatterns.test;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many times a server ran each command, from {@code INFO commandstats}: the way to count
 * round trips and the commands a script runs. Take a snapshot before and after the work and
 * compare them with {@link #since(CommandCalls)}.
 * <p>
 * The commands a measurement causes itself ({@code INFO}, and the handshake of the connection
 * that reads the stats: {@code HELLO}, {@code CLIENT ...}, {@code COMMAND ...}) are left out, so
 * that a delta holds only the work under test.
 * <pre>{@code
 * CommandCalls before = CommandCalls.of(redis.node());
 * limiter.tryAcquire("quotes", "203.0.113.9");
 * CommandCalls work = CommandCalls.of(redis.node()).since(before);
 * assertThat(work.get("evalsha")).isEqualTo(1);
 * }</pre>
 */
public final class CommandCalls {

	private final Map<String, Long> calls;

	private CommandCalls(Map<String, Long> calls) {
		this.calls = Collections.unmodifiableMap(calls);
	}

	/**
	 * Reads the counters of one server.
	 * @param node the server
	 * @return calls per lower-case command name ({@code evalsha}, {@code client|setinfo})
	 */
	public static CommandCalls of(RedisNode node) {
		String info = node.execute((commands) -> commands.info("commandstats"));
		Map<String, Long> calls = new LinkedHashMap<>();
		for (String line : info.split("\r?\n")) {
			if (!line.startsWith("cmdstat_")) {
				continue;
			}
			String name = line.substring("cmdstat_".length(), line.indexOf(':'));
			if (isMeasurementsOwn(name)) {
				continue;
			}
			for (String part : line.substring(line.indexOf(':') + 1).split(",")) {
				if (part.startsWith("calls=")) {
					calls.put(name, Long.parseLong(part.substring("calls=".length())));
				}
			}
		}
		return new CommandCalls(calls);
	}

	private static boolean isMeasurementsOwn(String name) {
		return name.equals("info") || name.equals("hello") || name.startsWith("client|") || name.equals("command")
				|| name.startsWith("command|");
	}

	/**
	 * Returns the calls made since an earlier snapshot of the same server; commands that were
	 * not called since are absent.
	 * @param before the earlier snapshot
	 * @return the difference
	 */
	public CommandCalls since(CommandCalls before) {
		Map<String, Long> delta = new LinkedHashMap<>();
		this.calls.forEach((name, count) -> {
			long difference = count - before.get(name);
			if (difference > 0) {
				delta.put(name, difference);
			}
		});
		return new CommandCalls(delta);
	}

	/**
	 * Leaves commands out, such as keep-alive {@code PING}s of a client.
	 * @param commands lower-case command names
	 * @return the calls of every other command
	 */
	public CommandCalls without(String... commands) {
		Map<String, Long> kept = new LinkedHashMap<>(this.calls);
		for (String command : commands) {
			kept.remove(command);
		}
		return new CommandCalls(kept);
	}

	/**
	 * Returns the calls of one command.
	 * @param command the lower-case command name, such as {@code evalsha}
	 * @return its calls, 0 when it was never called
	 */
	public long get(String command) {
		return this.calls.getOrDefault(command, 0L);
	}

	/**
	 * Returns the calls of all commands together.
	 * @return the sum
	 */
	public long total() {
		return this.calls.values().stream().mapToLong(Long::longValue).sum();
	}

	/**
	 * Returns the calls per command.
	 * @return an unmodifiable map by command name
	 */
	public Map<String, Long> asMap() {
		return this.calls;
	}

	@Override
	public String toString() {
		return this.calls.toString();
	}

}
