package io.redispatterns.lock;

/**
 * What a {@link DistributedLock @DistributedLock} method does when its lock is still held by
 * another owner after the annotation's {@code waitFor}.
 */
public enum OnBusy {

	/** Throw {@link LockNotAcquiredException}. */
	FAIL,

	/**
	 * Do not run the method: it returns {@code null} ({@code Optional.empty()} for an
	 * {@code Optional}, zero or {@code false} for a primitive). The usual choice for
	 * {@code @Scheduled} jobs that must run on one instance only.
	 */
	SKIP,

	/** Keep waiting without a time limit until the lock is acquired ({@code waitFor} is ignored). */
	WAIT

}
