package io.redispatterns.queue;

import java.time.Duration;

/**
 * Published as a Spring application event on the instance whose handler completed a job.
 * @param queue the queue
 * @param id the job
 * @param name the job's name
 * @param attempt the attempt that completed
 * @param duration the handler's run time
 */
public record JobCompletedEvent(String queue, JobId id, String name, int attempt, Duration duration) {

}
