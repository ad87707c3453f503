package io.redispatterns.stream.internal;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * Internal: the poll loop's dedicated connection, reading new entries of the group
 * ({@code XREADGROUP ... COUNT <n> [BLOCK <ms>] STREAMS <key> >}). With Lettuce it is a connection of its own made
 * by the factory's client (same URI, credentials, options and {@code ClientResources}), read with Lettuce's own API:
 * the fields arrive as the strings the handler gets, with no Spring Data Redis record conversion in between. Other
 * clients (or a Lettuce setup without a default URI, such as static master/replica) read through Spring Data Redis.
 */
interface EntryReads extends AutoCloseable {

	/**
	 * Reads up to {@code count} new entries; {@code block} {@code null} returns at once when there are none.
	 * @return the entries in id order (empty when none)
	 */
	List<StreamEntry> read(int count, @Nullable Duration block);

	/**
	 * Sends a read of up to {@code count} new entries that does not block, without waiting for its reply: the
	 * next {@link #read} returns the reply of the oldest such read instead of reading again. Redis executes it
	 * while the client decodes an earlier reply and the caller handles the entries it has, so a backlog is read on
	 * one core while it is decoded and handled on another. Its entries are pending for this consumer from then
	 * on, as entries read and not yet started are.
	 * @return whether it was sent ({@code false}: not supported, or enough reads are on their way already)
	 */
	default boolean sendAhead(int count) {
		return false;
	}

	/** Whether a read sent by {@link #sendAhead} has not been taken by {@link #read} yet. */
	default boolean hasAhead() {
		return false;
	}

	/** Closes the connection; a read blocked on it fails at once. */
	@Override
	void close();

	/** Opens a dedicated connection (throws when Redis cannot be reached). */
	static EntryReads open(RedisConnectionFactory connectionFactory, String streamKey, ListenerSettings settings) {
		if (Lettuce.PRESENT && connectionFactory instanceof LettuceConnectionFactory lettuce) {
			EntryReads reads = LettuceEntryReads.open(lettuce, streamKey, settings);
			if (reads != null) {
				return reads;
			}
		}
		return new TemplateEntryReads(connectionFactory.getConnection(), streamKey, settings);
	}

	/** Whether Lettuce is on the class path. */
	final class Lettuce {

		static final boolean PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
				EntryReads.class.getClassLoader());

		private Lettuce() {
		}

	}

}
