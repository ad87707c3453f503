package io.redispatterns.lock.internal;

import java.time.Duration;

/**
 * Resolved configuration of a lock template.
 */
public record LockSettings(Duration defaultLease, Duration defaultWait, boolean watchdog, Duration fallbackPoll,
		int waitForReplicas, Duration waitForReplicasTimeout, Duration commandTimeout) {
}
