package io.redispatterns.transaction;

import java.util.Collection;

/**
 * Optimistic read-modify-write transactions: {@code WATCH} the keys, let the callback read them
 * and queue writes, then {@code MULTI}/writes/{@code EXEC}. When another client changed a watched
 * key in between, Redis refuses the {@code EXEC}, and the whole callback runs again after a back-off,
 * up to a bounded number of attempts; then
 * {@link org.springframework.dao.OptimisticLockingFailureException}.
 * <p>
 * {@code WATCH} is a state of one connection, so transactions run on connections of their own (a
 * small pool), never on the application's shared connection. On Cluster every watched and written
 * key must be in one slot (use a hash tag): other keys are refused up front with
 * {@link IllegalArgumentException}.
 * <p>
 * Failures: Redis unavailable or the connection lost before {@code EXEC} was sent raises
 * {@link io.redispatterns.core.RedisUnavailableException} (nothing applied); a lost {@code EXEC} reply raises
 * {@link io.redispatterns.core.RedisOutcomeUnknownException} (all the writes or none were applied; it is not
 * retried). Transaction connections never reconnect, so no command of a transaction is re-sent outside its
 * {@code MULTI} or without its {@code WATCH}.
 * <p>
 * Where the decision fits in Lua, a script is better: one round trip, no retries under contention,
 * and nothing to re-send half-way (see the README).
 */
public interface RedisTransactions {

	/**
	 * Runs a read-modify-write transaction over {@code keys}, retrying on conflict.
	 * @param <T> the callback's result
	 * @param keys the keys to watch (on Cluster: all in one slot)
	 * @param callback reads through the transaction and queues writes; may run several times, so it
	 * must have no other side effects
	 * @return the callback's result of the attempt that committed
	 * @throws org.springframework.dao.OptimisticLockingFailureException when every attempt met a conflict
	 * @throws IllegalArgumentException on Cluster, when the keys are in different slots
	 */
	<T> T optimistic(Collection<String> keys, TransactionCallback<T> callback);

	/**
	 * The work of one attempt.
	 * @param <T> its result
	 */
	@FunctionalInterface
	interface TransactionCallback<T> {

		/**
		 * Reads what the decision needs and queues the writes.
		 * @param transaction the attempt's reads and writes
		 * @return the result
		 */
		T run(OptimisticTransaction transaction);

	}

}
