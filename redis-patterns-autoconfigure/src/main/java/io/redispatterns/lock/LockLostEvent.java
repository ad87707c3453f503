package io.redispatterns.lock;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a lease turns out to have been lost while its holder believed it held: the
 * watchdog, an extension or the release found the lock expired or held by another owner.
 * <p>
 * A loss never turns finished work into a failure: {@code executeWithLock} returns the callback's
 * result and {@code Lock.unlock()} returns normally, because the work did run (writes that carried
 * the lease's {@link LockLease#fencingToken() fencing token} are the ones a fencing-aware store
 * protected). The loss is reported here, in the {@code redis.patterns.lock.lost} counter and in a
 * WARN log line instead. Listen with {@code @EventListener} (the auto-configured template publishes
 * to the application context) or pass a publisher to
 * {@link LockTemplateBuilder#eventPublisher(org.springframework.context.ApplicationEventPublisher)}.
 * The event is published once per lease, on the thread that found the loss (a watchdog thread or
 * the caller's); a listener that throws is logged and does not affect the caller.
 */
public class LockLostEvent extends ApplicationEvent {

	private final String lockName;

	private final String logicalName;

	private final long fencingToken;

	/**
	 * Creates an event.
	 * @param source the template that found the loss
	 * @param lockName the lock's name
	 * @param logicalName the logical name (the metrics tag)
	 * @param fencingToken the fencing token of the lost lease
	 */
	public LockLostEvent(Object source, String lockName, String logicalName, long fencingToken) {
		super(source);
		this.lockName = lockName;
		this.logicalName = logicalName;
		this.fencingToken = fencingToken;
	}

	/**
	 * Returns the name of the lock whose lease was lost.
	 * @return the lock name
	 */
	public String getLockName() {
		return this.lockName;
	}

	/**
	 * Returns the logical name: {@link LockOptions#logicalName()}, the {@code @DistributedLock} name,
	 * or {@code unnamed}.
	 * @return the logical name
	 */
	public String getLogicalName() {
		return this.logicalName;
	}

	/**
	 * Returns the fencing token of the lost lease.
	 * @return the fencing token
	 */
	public long getFencingToken() {
		return this.fencingToken;
	}

	@Override
	public String toString() {
		return "LockLostEvent[lock=" + this.lockName + ", logicalName=" + this.logicalName + ", fencingToken="
				+ this.fencingToken + "]";
	}

}
