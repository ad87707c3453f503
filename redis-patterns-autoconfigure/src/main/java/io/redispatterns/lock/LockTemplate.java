package io.redispatterns.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

import io.redispatterns.core.RedisKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Distributed locks on Redis.
 * <p>
 * A lock is a key set with {@code SET NX PX} to a random owner token; the same script increments
 * the lock's fencing counter (a key sharing the lock's hash tag, so it works on Redis Cluster)
 * and returns the {@link LockLease#fencingToken() fencing token}. Release and extension are
 * owner-checked scripts; the release script also publishes a wake-up message (sharded pub/sub,
 * {@code SPUBLISH}) to which this application keeps one subscription per lock name while any of
 * its threads waits, so waiters do not busy-poll. A bounded, jittered fallback poll
 * ({@code redis-patterns.lock.fallback-poll}) covers a lost message.
 * <pre>{@code
 * Reservation r = locks.executeWithLock("inventory:" + sku, LockOptions.defaults().withWait(Duration.ofSeconds(5)),
 *         lease -> store.reserve(sku, lease.fencingToken()));
 * }</pre>
 * Every method fails closed within the command timeout: {@link LockUnavailableException} when Redis
 * cannot be reached (nothing was done), {@link LockOutcomeUnknownException} when a command was sent
 * but its reply was lost. A reply lost on a connection that closes in an orderly way is no failure:
 * Lettuce re-sends the command on reconnection, and every lock script is safe to run twice (an
 * acquisition recognises its own owner token and returns the same fencing token; a repeated
 * release or extension reports what the first one did).
 * <p>
 * A lease found lost while its holder believed it held is reported, not thrown, once the work ran:
 * see {@link LockLostEvent}.
 */
public interface LockTemplate {

	/**
	 * Tries to acquire a lock, waiting for it at most {@code wait}. The lease is not renewed: extend
	 * it or release it yourself.
	 * @param name the lock's name (any string; it is escaped into the key)
	 * @param lease how long the lock is held unless extended or released
	 * @param wait how long to wait when the lock is busy; {@link Duration#ZERO} makes one attempt
	 * (a single round trip) and never blocks for longer
	 * @return the lease, or empty when the lock stayed busy (or the thread was interrupted while
	 * waiting; its interrupt flag is then set)
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	Optional<LockLease> tryAcquire(String name, Duration lease, Duration wait);

	/**
	 * Makes a single attempt to acquire a lock, never waiting: one round trip.
	 * @param name the lock's name
	 * @param lease how long the lock is held unless extended or released
	 * @return the lease, or empty when the lock is held by another owner
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	default Optional<LockLease> tryAcquire(String name, Duration lease) {
		return tryAcquire(name, lease, Duration.ZERO);
	}

	/**
	 * Tries to acquire a lock with the given options ({@code watchdog} and {@code holdAtLeast} do
	 * not apply to a lease handed to the caller).
	 * @param name the lock's name
	 * @param options the lease, wait and logical name; unset values come from the configuration
	 * @return the lease, or empty when the lock stayed busy
	 * @throws LockUnavailableException when Redis cannot be reached
	 */
	Optional<LockLease> tryAcquire(String name, LockOptions options);

	/**
	 * Acquires the lock, runs the callback, and always releases the lock afterwards (or leaves it
	 * held until {@link LockOptions#holdAtLeast()} has passed). While the callback runs, the
	 * watchdog extends the lease every third of its length when enabled.
	 * @param <T> the result type
	 * @param name the lock's name
	 * @param options the lease, wait, watchdog, minimum hold time and logical name
	 * @param callback the work to do
	 * @return what the callback returned, also when the lock was found lost while it ran (renewal
	 * or release found it expired or taken): the work ran, so its result is returned and the loss
	 * is reported as a {@link LockLostEvent}, in the {@code redis.patterns.lock.lost} counter and in
	 * the log; an exception thrown by the callback is rethrown with the loss attached as a
	 * suppressed {@link LockLostException}
	 * @throws LockNotAcquiredException when the lock stayed busy past the wait
	 * @throws LockUnavailableException when Redis cannot be reached to acquire the lock
	 * @throws LockOutcomeUnknownException when the acquisition was sent but its reply was lost (the
	 * callback did not run)
	 */
	<T extends @Nullable Object> T executeWithLock(String name, LockOptions options, LockCallback<T> callback);

	/**
	 * Runs the callback under the lock with the configured defaults, like
	 * {@link #executeWithLock(String, LockOptions, LockCallback)}.
	 * @param <T> the result type
	 * @param name the lock's name
	 * @param callback the work to do
	 * @return what the callback returned
	 */
	default <T extends @Nullable Object> T executeWithLock(String name, LockCallback<T> callback) {
		return executeWithLock(name, LockOptions.defaults(), callback);
	}

	/**
	 * Returns a {@link Lock} view of a distributed lock, so code written against
	 * {@code java.util.concurrent.locks.Lock} can switch. Unlike a {@link LockLease}, the view is
	 * thread-bound and reentrant like {@link java.util.concurrent.locks.ReentrantLock}: the thread
	 * that locked it must unlock it as many times as it locked it ({@code unlock} from another
	 * thread throws {@link IllegalMonitorStateException}). Views of the same name from the same
	 * template share their state. The lease is the configured default lease, renewed by the
	 * watchdog while held when it is enabled; when the lock turned out lost, {@code unlock} reports
	 * it as a {@link LockLostEvent} and returns normally. {@code newCondition()} is not supported.
	 * @param name the lock's name
	 * @return the view
	 */
	default Lock asLock(String name) {
		return asLock(name, LockOptions.defaults());
	}

	/**
	 * Returns a {@link Lock} view using the given lease and logical name (the wait comes from the
	 * {@code Lock} method called).
	 * @param name the lock's name
	 * @param options the lease, watchdog and logical name
	 * @return the view
	 */
	Lock asLock(String name, LockOptions options);

	/**
	 * Starts building a template over a Redis connection, for use without the auto-configuration.
	 * Close the built template (it is {@link AutoCloseable}) to stop its watchdog and
	 * subscriptions.
	 * @param redisTemplate the template to run scripts with
	 * @param keys the key builder
	 * @return a builder
	 */
	static LockTemplateBuilder builder(StringRedisTemplate redisTemplate, RedisKeys keys) {
		return new LockTemplateBuilder(redisTemplate, keys);
	}

}
