package io.redispatterns.queue.internal;

/**
 * Internal: one handler method for one job name of a queue, with its resolved settings.
 * @param name the job name
 * @param handler the method
 * @param concurrency jobs run at once (the queue's pool is sized by the largest)
 * @param maxAttempts attempts unless the job has its own
 * @param schedule when the job repeats, or {@code null}
 */
public record JobHandlerBinding(String name, JobHandlerMethod handler, int concurrency, int maxAttempts,
		@org.jspecify.annotations.Nullable RepeatSchedule schedule) {

}
