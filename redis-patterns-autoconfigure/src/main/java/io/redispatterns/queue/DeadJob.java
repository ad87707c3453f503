package io.redispatterns.queue;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A dead-lettered job.
 * @param id the job's id
 * @param name the job's name
 * @param payloadJson the payload as JSON
 * @param attempts attempts made
 * @param error why it died (the last error)
 * @param history one line per failed attempt: {@code attempt|epoch-ms|error}
 * @param diedAt when it was dead-lettered
 */
public record DeadJob(JobId id, String name, @Nullable String payloadJson, int attempts, @Nullable String error,
		List<String> history, @Nullable Instant diedAt) {

}
