package io.redispatterns.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * What the lifecycles of the library's worker containers (stream listeners, job workers, write-behind flushers)
 * share: the phase they stop in, and stopping all of them at once.
 */
public final class ContainerLifecycle {

	/**
	 * The phase of the containers' registries: they stop after the web server's graceful shutdown
	 * ({@code DEFAULT_PHASE - 1024}), long before the Redis connection factory (phase 0).
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

	/**
	 * The phase in which the library closes the connections it opened from the application's Lettuce client
	 * (near-cache tracking, cache and lock wake-up subscriptions, the lock's replica-acknowledged connection): after
	 * the containers ({@link #PHASE}), whose in-flight work may still use them, and before the Redis connection
	 * factory (phase 0), whose client shutdown closes every connection it opened, so that a later close would find
	 * the connection already closed (Lettuce warns {@code Connection is already closed}) and a subscription would
	 * try to reconnect on a stopped client.
	 */
	public static final int CONNECTIONS_PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

	private ContainerLifecycle() {
	}

	/**
	 * Waits at most {@code timeout} for a thread to end; returns early when the calling thread is interrupted
	 * (keeping its interrupt flag).
	 * @param thread the thread, or {@code null} for none
	 * @param timeout the longest wait
	 * @return whether the thread has ended (always {@code true} for none, or for the calling thread itself)
	 */
	public static boolean join(@Nullable Thread thread, Duration timeout) {
		if (thread == null || thread == Thread.currentThread()) {
			return true;
		}
		try {
			thread.join(timeout.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return !thread.isAlive();
	}

	/**
	 * Waits at most {@code timeout} for a connection to finish closing (its failure ignored), so that a client
	 * shutdown that follows does not find it still registered and close it a second time (Lettuce then warns
	 * {@code Connection is already closed}); returns early when the calling thread is interrupted (keeping its
	 * interrupt flag).
	 * @param closing the close in progress, such as Lettuce's {@code closeAsync()}
	 * @param timeout the longest wait
	 */
	public static void awaitClosed(CompletionStage<?> closing, Duration timeout) {
		try {
			closing.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// closed with an error or slowly: the client's shutdown closes what is left
		}
	}

	/**
	 * Stops every container in a thread of its own and waits for all of them, so that shutdown takes as long as
	 * the slowest container rather than the sum of all; returns early when the calling thread is interrupted.
	 * @param <C> the container type
	 * @param containers the containers
	 * @param threadName the name of the thread that stops a container
	 * @param stop stops one container, waiting for its in-flight work
	 */
	public static <C> void stopAll(Iterable<C> containers, Function<C, String> threadName, Consumer<C> stop) {
		List<Thread> stopping = new ArrayList<>();
		for (C container : containers) {
			Thread thread = new Thread(() -> stop.accept(container), threadName.apply(container));
			thread.setDaemon(true);
			thread.start();
			stopping.add(thread);
		}
		for (Thread thread : stopping) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

}
