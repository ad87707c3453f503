package io.redispatterns.lock;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a bean method while holding a distributed lock, on any Spring bean, {@code @Scheduled}
 * methods included:
 * <pre>{@code
 * @DistributedLock(key = "'order:' + #id", lease = "30s", waitFor = "0s", onBusy = OnBusy.FAIL)
 * public void ship(long id) { ... }
 *
 * @Scheduled(fixedRate = 60_000)
 * @DistributedLock(name = "nightly-report", onBusy = OnBusy.SKIP, holdAtLeast = "50s")
 * public void report() { ... }
 * }</pre>
 * The lock is acquired before the method runs, renewed by the watchdog while it runs
 * ({@code redis-patterns.lock.watchdog.enabled}) and released when it returns or throws (or kept
 * until {@link #holdAtLeast()} has passed). A lock taken here and one taken with
 * {@code LockTemplate.executeWithLock(key, ...)} are the same lock when their names are equal.
 * Duration attributes accept {@code 30s}, {@code 500ms}, ISO-8601 ({@code PT30S}) and
 * {@code ${...}} placeholders.
 * <p>
 * The method is called through a Spring proxy: a call from inside the same bean is not locked.
 * When the lock turns out lost while the method ran, the method's result is still returned (it
 * ran) and the loss is published as a {@link LockLostEvent}, counted and logged.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DistributedLock {

	/**
	 * Logical name of the lock: the {@code lock} tag of the metrics, and the lock's name when
	 * {@link #key()} is empty. Defaults to {@code <SimpleClassName>.<methodName>}.
	 * @return the logical name
	 */
	String name() default "";

	/**
	 * SpEL expression for the lock's name, evaluated against the method's arguments
	 * ({@code #id}, {@code #p0}, {@code #a0}) and beans ({@code @beanName}), such as
	 * {@code "'order:' + #id"}. Empty to use {@link #name()}.
	 * @return the key expression
	 */
	String key() default "";

	/**
	 * Lease length; the watchdog renews it every third of this length while the method runs.
	 * Empty for {@code redis-patterns.lock.lease}.
	 * @return the lease
	 */
	String lease() default "";

	/**
	 * How long to wait for a busy lock before {@link #onBusy()} applies. Empty for
	 * {@code redis-patterns.lock.wait-for}. (Named {@code waitFor} because Java reserves
	 * {@code wait()} for {@code Object}.)
	 * @return the wait
	 */
	String waitFor() default "";

	/**
	 * What happens when the lock is still busy after {@link #waitFor()}.
	 * @return the behaviour
	 */
	OnBusy onBusy() default OnBusy.FAIL;

	/**
	 * Minimum time the lock stays held after it was acquired, even when the method finishes sooner
	 * (ShedLock's {@code lockAtLeastFor}): the lock is then left to expire rather than released, so
	 * that a fast {@code @Scheduled} job does not also run on every other instance whose clock is
	 * a little behind. Empty or {@code 0s} to release at once.
	 * @return the minimum hold time
	 */
	String holdAtLeast() default "";

}
