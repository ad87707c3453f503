package io.redispatterns.queue;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that runs jobs of a queue. The method takes the payload (decoded from JSON into the
 * parameter's declared type) and optionally a {@link JobContext}; its return value is stored as the job's
 * result (JSON, kept by retention); a thrown exception is a failed attempt, retried with back-off and
 * dead-lettered after the last attempt.
 * <pre class="code">
 * &#64;RedisJobHandler(queue = "emails", concurrency = 8, maxAttempts = 3)
 * Receipt send(SendEmail job, JobContext context) { ... }
 * </pre>
 * Several methods may serve one queue with different {@link #name() names}; a job whose name has no handler
 * is dead-lettered with that reason.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RedisJobHandler {

	/**
	 * The queue; placeholders are resolved.
	 * @return the queue name
	 */
	String queue();

	/**
	 * The job name this method runs.
	 * @return the job name
	 */
	String name() default JobQueues.DEFAULT_NAME;

	/**
	 * Jobs of this queue run at once in this instance; 0 for {@code redis-patterns.queue.concurrency}.
	 * Handlers of one queue share one worker pool sized by the largest value.
	 * @return the concurrency
	 */
	int concurrency() default 0;

	/**
	 * Attempts before a job is dead-lettered, unless the job was enqueued with its own; 0 for
	 * {@code redis-patterns.queue.max-attempts}.
	 * @return the maximum attempts
	 */
	int maxAttempts() default 0;

	/**
	 * Runs this handler repeatedly on a cron schedule (Spring's six-field {@code CronExpression}, evaluated in
	 * UTC), enqueued exactly once per tick across all instances; placeholders are resolved. The handler's
	 * payload parameter, if any, receives {@code null}.
	 * @return the cron expression, or empty
	 */
	String cron() default "";

	/**
	 * Runs this handler repeatedly every interval (such as {@code 30s}; ticks aligned to the epoch), enqueued
	 * exactly once per tick across all instances; placeholders are resolved.
	 * @return the interval, or empty
	 */
	String every() default "";

}
