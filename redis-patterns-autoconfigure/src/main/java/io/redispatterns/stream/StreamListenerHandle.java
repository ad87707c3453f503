package io.redispatterns.stream;

/**
 * Controls the container that runs one {@link RedisStreamListener @RedisStreamListener} method; obtained from
 * {@link StreamListeners}.
 * <p>
 * {@link #stop()} and {@link #pause()} differ in what they keep: a stopped listener has closed its connection
 * and left the group's consumer list when nothing was pending for it; a paused listener keeps its connection
 * and its place and only stops reading. Neither loses entries: entries published meanwhile wait in the stream
 * for the group, and the listener (or another instance of the application) delivers them later. A listener
 * stopped or paused through this interface is reported as such in health, not as a failure.
 */
public interface StreamListenerHandle {

	/**
	 * Returns the id by which {@link StreamListeners#get(String)} finds this listener.
	 * @return the id
	 */
	String id();

	/**
	 * Returns the logical stream name this listener reads.
	 * @return the stream name
	 */
	String stream();

	/**
	 * Returns the consumer group this listener reads for.
	 * @return the group name
	 */
	String group();

	/**
	 * Starts reading; does nothing when running. A group that does not exist yet is created now, at the
	 * listener's {@link RedisStreamListener#startFrom() start position}. When a pause is requested, it starts
	 * paused.
	 */
	void start();

	/**
	 * Stops gracefully and returns when done: stops reading, waits up to the shutdown timeout for the handlers
	 * that have started, acknowledges what they handled and closes the connection. Entries not handled stay in
	 * the stream or pending for the group. Does nothing when not running. Not to be called from this listener's own
	 * handler, which would wait for itself until the shutdown timeout; use {@link #pause()} there.
	 */
	void stop();

	/**
	 * Asks the listener to stop reading and returns at once: the read in progress (at most the block time) and
	 * the batch read before it are still handled, and in-flight handlers finish and are acknowledged; then no entry is read,
	 * retried or claimed until {@link #resume()}. The connection stays open. {@link #isPaused()} tells when no
	 * read is outstanding any more.
	 */
	void pause();

	/**
	 * Lets a paused listener read again, starting with the entries published while it was paused.
	 */
	void resume();

	/**
	 * Returns whether the listener is running (reading, paused or reconnecting to Redis).
	 * @return whether it runs
	 */
	boolean isRunning();

	/**
	 * Returns whether {@link #pause()} was called and {@link #resume()} not since.
	 * @return whether a pause is requested
	 */
	boolean isPauseRequested();

	/**
	 * Returns whether the listener is running and paused: a pause was requested and its reader has stopped
	 * reading (handlers that were in flight may still be finishing).
	 * @return whether it is paused
	 */
	boolean isPaused();

}
