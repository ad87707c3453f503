package io.redispatterns.queue;

import java.time.Duration;

/**
 * Published as a Spring application event on the instance whose handler failed an attempt that will be retried.
 * @param queue the queue
 * @param id the job
 * @param name the job's name
 * @param attempt the attempt that failed
 * @param duration the handler's run time
 * @param error the failure
 * @param retryIn the back-off before the next attempt
 */
public record JobFailedEvent(String queue, JobId id, String name, int attempt, Duration duration, String error,
		Duration retryIn) {

}
