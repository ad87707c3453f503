package io.redispatterns.cache.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import reactor.core.scheduler.Schedulers;

/**
 * Keeps the non-blocking cache operations' blocking work off Redis client I/O threads.
 * <p>
 * Lettuce completes its futures on its I/O threads (one thread serves many connections, on Cluster
 * the nodes' connections of the blocking template too). Nothing that may block runs there: the
 * loader is called, and the futures handed to callers are completed, on Reactor's bounded elastic
 * scheduler. Otherwise a caller's continuation that uses Redis synchronously (Spring's cache
 * interceptor storing a {@code Mono}'s value with {@code Cache#put}) would wait for a reply that
 * only the blocked thread can read, until the command timeout.
 */
final class OffIoThreads {

	private final Executor executor = (task) -> Schedulers.boundedElastic().schedule(task);

	/**
	 * A future with the outcome of {@code future}, completed on a thread that may block, so that the
	 * caller's continuations never run on a Redis client I/O thread.
	 */
	<T> CompletableFuture<T> complete(CompletableFuture<T> future) {
		CompletableFuture<T> result = new CompletableFuture<>();
		future.whenComplete((value, failure) -> {
			Runnable complete = () -> {
				if (failure != null) {
					result.completeExceptionally(failure);
				}
				else {
					result.complete(value);
				}
			};
			try {
				this.executor.execute(complete);
			}
			catch (RejectedExecutionException ex) {
				// the scheduler was shut down (the application is stopping): complete here rather than never
				complete.run();
			}
		});
		return result;
	}

	/**
	 * Calls the loader on a thread that may block: it is application code (a cached method), and the
	 * Redis reply that led here arrived on a client I/O thread.
	 */
	<T> CompletableFuture<T> callLoader(Supplier<CompletableFuture<T>> loader) {
		try {
			return CompletableFuture.supplyAsync(loader, this.executor).thenCompose((loading) -> loading);
		}
		catch (RejectedExecutionException ex) {
			return loader.get();
		}
	}

}
