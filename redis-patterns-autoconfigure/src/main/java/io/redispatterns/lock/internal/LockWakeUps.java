package io.redispatterns.lock.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Wakes up this application's threads waiting for a lock when its release message arrives.
 * <p>
 * There is at most one subscription per lock name, held while at least one local thread waits
 * for that lock and shared by all of them. A message wakes one local waiter (the others stay
 * parked: only one of them could win anyway), and a message that arrives while every waiter is
 * busy retrying is kept as a permit, so a release between a failed attempt and parking is never
 * missed. Waiters also wake on their own after a bounded, jittered fallback poll.
 */
public abstract class LockWakeUps implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(LockWakeUps.class);

	private final Map<String, Channel> channels = new ConcurrentHashMap<>();

	private final AtomicInteger waiting = new AtomicInteger();

	/** Wake-ups that only poll: used when no Lettuce client is available. */
	static LockWakeUps pollingOnly() {
		return new LockWakeUps() {

			@Override
			CompletableFuture<?> subscribe(String channel) {
				return CompletableFuture.failedFuture(new IllegalStateException("No pub/sub client"));
			}

			@Override
			void unsubscribe(String channel) {
			}

			@Override
			String mode() {
				return "polling";
			}

		};
	}

	/**
	 * Starts a subscription to {@code channel}; the future completes once the server confirmed it.
	 * Must not block (it runs inside {@code ConcurrentHashMap.compute}): without an open connection it
	 * returns a future that completes (or fails) with the background attempt to open one.
	 */
	abstract CompletableFuture<?> subscribe(String channel);

	abstract void unsubscribe(String channel);

	/**
	 * Makes sure what subscriptions need gets opened, without blocking the caller (a waiting thread):
	 * meanwhile {@link #subscribe(String)} returns a future that completes once it is open, or fails
	 * when it could not be opened (the waiter polls). Implementations call {@link #subscribeAll()}
	 * once it is open.
	 */
	void prepare() {
	}

	/**
	 * Subscribes every channel that still has waiters but no working subscription (registered while
	 * the connection was not open).
	 */
	final void subscribeAll() {
		for (String name : this.channels.keySet()) {
			this.channels.computeIfPresent(name, (key, channel) -> {
				if (channel.subscribed.isCompletedExceptionally()) {
					try {
						channel.subscribed = subscribe(key);
					}
					catch (RuntimeException ex) {
						channel.subscribed = CompletableFuture.failedFuture(ex);
					}
				}
				return channel;
			});
		}
	}

	/** How waiters are woken: {@code sharded-pubsub}, {@code pubsub} or {@code polling}. */
	abstract String mode();

	/** Called by the subscription's listener when a release message arrives. */
	final void onMessage(String channel) {
		Channel target = this.channels.get(channel);
		if (target != null) {
			target.wake();
		}
	}

	/**
	 * Registers a waiter for a channel, subscribing when it is the first.
	 */
	public final Waiter register(String channel) {
		prepare();
		Channel registered = this.channels.compute(channel, (name, existing) -> {
			Channel target = (existing != null) ? existing : new Channel(name);
			if (existing == null) {
				try {
					target.subscribed = subscribe(name);
				}
				catch (RuntimeException ex) {
					target.subscribed = CompletableFuture.failedFuture(ex);
				}
			}
			target.addWaiter();
			return target;
		});
		this.waiting.incrementAndGet();
		prepare();
		return new Waiter(registered);
	}

	private void unregister(Channel channel) {
		this.waiting.decrementAndGet();
		this.channels.compute(channel.name, (name, existing) -> {
			if (existing != channel) {
				return existing;
			}
			if (channel.removeWaiter() > 0) {
				return channel;
			}
			try {
				unsubscribe(name);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not unsubscribe from lock channel " + name, ex);
			}
			return null;
		});
	}

	/** Number of lock names this application is subscribed to. */
	public final int subscriptions() {
		return this.channels.size();
	}

	/** Number of threads waiting for a lock. */
	public final int waiting() {
		return this.waiting.get();
	}

	@Override
	public void close() {
	}

	/**
	 * One waiting thread's registration; close it when done waiting.
	 */
	public final class Waiter implements AutoCloseable {

		private final Channel channel;

		private Waiter(Channel channel) {
			this.channel = channel;
		}

		/**
		 * Waits until the subscription is confirmed, at most {@code timeout}.
		 * @return whether wake-up messages will arrive (otherwise only polling wakes the waiter)
		 */
		public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
			try {
				this.channel.subscribed.get(Math.max(1, Durations.nanos(timeout)), TimeUnit.NANOSECONDS);
				return true;
			}
			catch (ExecutionException | TimeoutException ex) {
				if (logger.isDebugEnabled()) {
					logger.debug("No wake-up subscription for " + this.channel.name + "; waiting by polling", ex);
				}
				return false;
			}
		}

		/**
		 * Parks until a release message or at most {@code nanos}.
		 * @return whether a message woke the waiter
		 */
		public boolean await(long nanos) throws InterruptedException {
			return this.channel.await(nanos);
		}

		@Override
		public void close() {
			unregister(this.channel);
		}

	}

	private static final class Channel {

		private final String name;

		private final ReentrantLock lock = new ReentrantLock();

		private final Condition woken = this.lock.newCondition();

		private int waiters;

		private int permits;

		private volatile CompletableFuture<?> subscribed = new CompletableFuture<>();

		Channel(String name) {
			this.name = name;
		}

		void addWaiter() {
			this.lock.lock();
			try {
				this.waiters++;
			}
			finally {
				this.lock.unlock();
			}
		}

		int removeWaiter() {
			this.lock.lock();
			try {
				this.waiters--;
				this.permits = Math.min(this.permits, this.waiters);
				return this.waiters;
			}
			finally {
				this.lock.unlock();
			}
		}

		void wake() {
			this.lock.lock();
			try {
				if (this.waiters > 0) {
					this.permits = Math.min(this.permits + 1, this.waiters);
					this.woken.signal();
				}
			}
			finally {
				this.lock.unlock();
			}
		}

		boolean await(long nanos) throws InterruptedException {
			this.lock.lockInterruptibly();
			try {
				long remaining = nanos;
				while (this.permits == 0) {
					if (remaining <= 0) {
						return false;
					}
					remaining = this.woken.awaitNanos(remaining);
				}
				this.permits--;
				return true;
			}
			finally {
				this.lock.unlock();
			}
		}

	}

}
