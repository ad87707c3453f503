package io.redispatterns.queue;

import java.time.Duration;

/**
 * Published as a Spring application event on the instance that dead-lettered a job.
 * @param queue the queue
 * @param id the job
 * @param name the job's name
 * @param attempt the last attempt
 * @param duration the last handler run time ({@code ZERO} when the handler did not run)
 * @param error why it died
 */
public record JobDeadEvent(String queue, JobId id, String name, int attempt, Duration duration, String error) {

}
