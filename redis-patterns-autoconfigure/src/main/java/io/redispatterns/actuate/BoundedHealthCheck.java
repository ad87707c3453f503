package io.redispatterns.actuate;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.redispatterns.core.RedisFailureKind;
import io.redispatterns.core.RedisFailures;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;

/**
 * Runs a Redis health check on a thread of its own and waits at most a timeout, so that
 * {@code /actuator/health} answers in bounded time however the connection hangs; turns failures
 * into {@code DOWN} with a message that names what happened, never an exception class.
 */
final class BoundedHealthCheck {

	private static final Pattern CLASS_NAME = Pattern
		.compile("\\b(?:[a-z_$][a-z0-9_$]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error|Throwable)\\b:?\\s*");

	private static final AtomicInteger threads = new AtomicInteger();

	// checks are short; a check stuck on a dead connection ends at the command timeout and frees its thread
	private static final ExecutorService executor = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "redis-patterns-health-" + threads.incrementAndGet());
		thread.setDaemon(true);
		return thread;
	});

	private BoundedHealthCheck() {
	}

	static Health run(Duration timeout, Supplier<Health> check) {
		CompletableFuture<Health> future = CompletableFuture.supplyAsync(check, executor);
		try {
			return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			return Health.down()
				.withDetail("error", "Redis did not answer within " + timeout.toMillis() + " ms")
				.withDetail("failure", "outcome-unknown")
				.build();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.unknown().withDetail("error", "Health check interrupted").build();
		}
		catch (ExecutionException ex) {
			Throwable failure = (ex.getCause() != null) ? ex.getCause() : ex;
			return down(failure);
		}
	}

	static Health down(Throwable failure) {
		RedisFailureKind kind = RedisFailures.classify(failure);
		return Health.down()
			.withDetail("error", describe(failure))
			.withDetail("failure", switch (kind) {
				case UNAVAILABLE -> "unavailable";
				case OUTCOME_UNKNOWN -> "outcome-unknown";
				case NOT_REDIS -> "error";
			})
			.build();
	}

	/** The most specific message of a failure, without Java class names. */
	static String describe(@Nullable Throwable failure) {
		String message = null;
		for (Throwable current = failure; current != null; current = (current.getCause() != current)
				? current.getCause() : null) {
			if (current.getMessage() != null && !current.getMessage().isBlank()) {
				message = current.getMessage();
			}
		}
		if (message == null) {
			return "Redis health check failed";
		}
		String cleaned = CLASS_NAME.matcher(message).replaceAll("").trim();
		return cleaned.isEmpty() ? "Redis health check failed" : cleaned;
	}

}
