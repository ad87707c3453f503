package io.redispatterns.queue.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.redispatterns.queue.DeadJob;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.JobState;
import io.redispatterns.queue.JobStatus;
import org.jspecify.annotations.Nullable;

/**
 * Internal: reads a job's hash.
 */
final class JobStatusReader {

	private JobStatusReader() {
	}

	/**
	 * The status from the job hash and, for a job that a worker runs, its lease ({@code <id>|<start ms>|<token>},
	 * {@code lease.lua}): a lease writes nothing to the hash, whose {@code a} then counts the attempts that ended.
	 */
	static @Nullable JobStatus read(String queue, JobId id, Map<?, ?> fields, @Nullable String lease) {
		if (lease != null) {
			String[] parts = lease.split("\\|", 3);
			Instant created = instant(fields, "c");
			if (created == null || parts.length < 3) {
				return null;
			}
			int attempts = integer(fields, "a") + 1;
			return new JobStatus(queue, id, nameOf(fields), JobState.ACTIVE, attempts, integer(fields, "m"),
					text(fields, "g"), null, text(fields, "e"), history(fields), created,
					Instant.ofEpochMilli(Long.parseLong(parts[1])), null);
		}
		String state = text(fields, "s");
		// every job hash has its creation time; a plain job that never left waiting has no state field (enqueue.lua)
		Instant created = instant(fields, "c");
		if (created == null) {
			return null;
		}
		if (state == null) {
			state = "w";
		}
		int attempts = integer(fields, "a");
		return new JobStatus(queue, id, nameOf(fields), JobState.decode(state, attempts), attempts,
				integer(fields, "m"), text(fields, "g"), text(fields, "res"), text(fields, "e"), history(fields),
				created, instant(fields, "st"), instant(fields, "f"));
	}

	static @Nullable DeadJob dead(JobId id, Map<?, ?> fields) {
		if (text(fields, "s") == null) {
			return null;
		}
		return new DeadJob(id, nameOf(fields), chunked(fields, "d"), integer(fields, "a"), text(fields, "e"),
				history(fields), instant(fields, "f"));
	}

	private static List<String> history(Map<?, ?> fields) {
		String history = text(fields, "h");
		return (history == null || history.isEmpty()) ? List.of() : Arrays.asList(history.split("\n"));
	}

	private static @Nullable String text(Map<?, ?> fields, String name) {
		Object value = fields.get(name);
		return (value != null) ? value.toString() : null;
	}

	/** The name is stored only when it is not the default. */
	private static String nameOf(Map<?, ?> fields) {
		String name = text(fields, "n");
		return (name != null) ? name : io.redispatterns.queue.JobQueues.DEFAULT_NAME;
	}

	private static int integer(Map<?, ?> fields, String name) {
		String value = text(fields, name);
		return (value != null && !value.isEmpty()) ? Integer.parseInt(value) : 0;
	}

	private static @Nullable Instant instant(Map<?, ?> fields, String name) {
		String value = text(fields, name);
		return (value != null && !value.isEmpty()) ? Instant.ofEpochMilli(Long.parseLong(value)) : null;
	}

	/** A value the scripts store in 64-byte pieces ({@code d}, {@code d1}, ...) to keep the job hash compact. */
	private static @Nullable String chunked(Map<?, ?> fields, String name) {
		String first = text(fields, name);
		if (first == null) {
			return null;
		}
		StringBuilder value = new StringBuilder(first);
		for (int piece = 1;; piece++) {
			String next = text(fields, name + piece);
			if (next == null) {
				return value.toString();
			}
			value.append(next);
		}
	}

}
