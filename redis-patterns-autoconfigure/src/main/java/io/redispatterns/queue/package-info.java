/**
 * Reliable background jobs: {@link io.redispatterns.queue.JobQueues} enqueues, inspects, cancels,
 * pauses and resumes; {@link io.redispatterns.queue.RedisJobHandler @RedisJobHandler} methods run
 * the jobs under a renewed lease with retries, back-off and dead letters
 * ({@link io.redispatterns.queue.DeadJobs}).
 */
@NullMarked
package io.redispatterns.queue;

import org.jspecify.annotations.NullMarked;
