package io.redispatterns.stream;

import java.util.List;

/**
 * Reads and manages dead-letter streams ({@code <stream>:dlq}, in the stream's hash slot).
 */
public interface StreamDeadLetters {

	/**
	 * Lists the oldest dead letters of a stream.
	 * @param stream logical stream name
	 * @param count maximum number returned
	 * @return the dead letters, oldest first
	 */
	List<DeadLetter> list(String stream, int count);

	/**
	 * Lists dead letters of a stream from an entry on: a page of a long dead-letter stream, or one
	 * entry to review before it is replayed.
	 * @param stream logical stream name
	 * @param fromId the first dead-letter entry id listed (inclusive; see {@link DeadLetter#id()})
	 * @param count maximum number returned
	 * @return the dead letters, oldest first
	 */
	default List<DeadLetter> list(String stream, String fromId, int count) {
		throw new UnsupportedOperationException("paged listing is not supported by " + getClass().getName());
	}

	/**
	 * Counts the dead letters of a stream.
	 * @param stream logical stream name
	 * @return the dead-letter stream's length
	 */
	long size(String stream);

	/**
	 * Moves the oldest dead letters back to their stream, as new entries with the original payload and headers
	 * plus {@link StreamHeaders#REPLAY_FOR replay-for} naming the group that dead-lettered each one: that group's
	 * listener receives it again, starting at attempt 1, and the stream's other groups acknowledge and skip it.
	 * @param stream logical stream name
	 * @param count maximum number moved
	 * @return how many were moved
	 */
	long replay(String stream, int count);

	/**
	 * Moves the oldest dead letters of one consumer group back to their stream (see {@link #replay(String, int)});
	 * dead letters of other groups stay.
	 * @param stream logical stream name
	 * @param group consumer group that dead-lettered the entries
	 * @param count maximum number moved
	 * @return how many were moved
	 */
	default long replay(String stream, String group, int count) {
		throw new UnsupportedOperationException("replay by group is not supported by " + getClass().getName());
	}

	/**
	 * Moves the given dead letters back to their stream (see {@link #replay(String, int)}).
	 * @param stream logical stream name
	 * @param ids dead-letter entry ids (see {@link DeadLetter#id()})
	 * @return how many were moved
	 */
	long replay(String stream, List<String> ids);

	/**
	 * Deletes every dead letter of a stream.
	 * @param stream logical stream name
	 * @return how many were deleted
	 */
	long purge(String stream);

}
