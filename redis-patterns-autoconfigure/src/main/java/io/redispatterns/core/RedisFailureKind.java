package io.redispatterns.core;

/**
 * What a failed Redis call tells the caller about the state in Redis; see
 * {@link RedisFailures#classify(Throwable)}.
 */
public enum RedisFailureKind {

	/** Nothing was applied: the command was never sent, or Redis refused it before running it. */
	UNAVAILABLE,

	/** The command was sent and may have been applied: no reply arrived. */
	OUTCOME_UNKNOWN,

	/** Not a Redis fault: a programming, permission, script or business error. */
	NOT_REDIS

}
