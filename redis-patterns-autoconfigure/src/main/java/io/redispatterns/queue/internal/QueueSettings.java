package io.redispatterns.queue.internal;

import java.time.Duration;

import io.redispatterns.queue.Backoff;
import io.redispatterns.ratelimit.RateLimitPolicy;

/**
 * Internal: the resolved settings every queue shares ({@code redis-patterns.queue.*}).
 * @param concurrency default jobs run at once per queue and instance
 * @param maxAttempts default attempts
 * @param backoff default back-off
 * @param lease lease of a taken job, renewed while it runs
 * @param stalledCheckInterval how often each instance looks for jobs whose lease expired
 * @param block longest blocking wait for new jobs
 * @param shutdownTimeout longest wait for running handlers on shutdown
 * @param keepCompleted completed jobs kept per queue
 * @param keepCompletedFor age after which completed jobs are removed
 * @param keepDead dead jobs kept per queue
 * @param keepDeadFor age after which dead jobs are removed
 * @param eventsMaxLength approximate length of each queue's event stream; 0 turns events off
 * @param dedupeWindow how long a dedupe key stays taken after its job finished
 * @param logMaxLines lines kept in each job's log
 * @param reconnectInitial first back-off after a connection failure
 * @param reconnectMax longest back-off after connection failures
 * @param rateLimits per-queue limits of jobs started, decided with the rate-limit package's algorithms (only the
 * policy's algorithm and numbers are used)
 */
public record QueueSettings(int concurrency, int maxAttempts, Backoff backoff, Duration lease,
		Duration stalledCheckInterval, Duration block, Duration shutdownTimeout, long keepCompleted,
		Duration keepCompletedFor, long keepDead, Duration keepDeadFor, long eventsMaxLength, Duration dedupeWindow,
		int logMaxLines, Duration reconnectInitial, Duration reconnectMax,
		java.util.Map<String, RateLimitPolicy> rateLimits) {

}
