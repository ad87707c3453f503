package io.redispatterns.queue;

/**
 * Where a job is in its life.
 */
public enum JobState {

	/** Ready, waiting for a worker. */
	WAITING,

	/** Waiting for its due time (a delay, or the back-off before a retry). */
	DELAYED,

	/** Waiting for the back-off after a failed attempt before it runs again. */
	RETRYING,

	/** Leased by a worker whose handler runs it. */
	ACTIVE,

	/** Finished successfully (kept within the queue's retention). */
	COMPLETED,

	/** Out of attempts, or not runnable (undecodable payload, no handler): in dead letters. */
	DEAD;

	/**
	 * Decodes a state as stored in Redis (internal).
	 * @param code the stored code
	 * @param attempts the attempts started so far
	 * @return the state
	 */
	public static JobState decode(String code, int attempts) {
		return switch (code) {
			case "w" -> WAITING;
			case "d" -> (attempts > 0) ? RETRYING : DELAYED;
			case "a" -> ACTIVE;
			case "c" -> COMPLETED;
			case "x" -> DEAD;
			default -> throw new IllegalStateException("Unknown job state code " + code);
		};
	}

}
