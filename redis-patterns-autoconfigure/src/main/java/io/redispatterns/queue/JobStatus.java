package io.redispatterns.queue;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A job as read from Redis.
 * @param queue the queue
 * @param id the job's id
 * @param name the job's name (which handler runs it)
 * @param state where the job is
 * @param attempts attempts started so far
 * @param maxAttempts attempts allowed, or 0 when the handler's setting applies
 * @param progress the last progress the handler reported, or {@code null}
 * @param resultJson the handler's result as JSON when completed, or {@code null}
 * @param error the last failure, or {@code null}
 * @param history one line per failed attempt: {@code attempt|epoch-ms|error}
 * @param createdAt when it was enqueued
 * @param startedAt when its last attempt started, or {@code null}
 * @param finishedAt when it completed or died, or {@code null}
 */
public record JobStatus(String queue, JobId id, String name, JobState state, int attempts, int maxAttempts,
		@Nullable String progress, @Nullable String resultJson, @Nullable String error, List<String> history,
		Instant createdAt, @Nullable Instant startedAt, @Nullable Instant finishedAt) {

}
