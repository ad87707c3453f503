package io.redispatterns.queue.internal;

import java.util.List;

import io.redispatterns.core.RedisFailures;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.JobQueueOutcomeUnknownException;
import io.redispatterns.queue.JobQueueUnavailableException;

/**
 * Internal: turns a failure of a queue's Redis call into the exception a caller can act on.
 */
final class JobFailures {

	private JobFailures() {
	}

	static RuntimeException translate(String queue, List<JobId> ids, String what, RuntimeException failure) {
		return switch (RedisFailures.classify(failure)) {
			case UNAVAILABLE -> new JobQueueUnavailableException(queue,
					what + " on queue '" + queue + "' failed: Redis is unavailable, nothing was written ("
							+ failure.getMessage() + ")",
					failure);
			case OUTCOME_UNKNOWN -> new JobQueueOutcomeUnknownException(queue, ids, what + " on queue '" + queue
					+ "': the outcome is unknown, Redis did not answer after the command was sent ("
					+ failure.getMessage() + "); enqueue again with the same job ids or dedupe keys", failure);
			case NOT_REDIS -> failure;
		};
	}

}
