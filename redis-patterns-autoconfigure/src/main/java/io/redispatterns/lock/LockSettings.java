package io.redispatterns.lock;

import java.time.Duration;

/**
 * Resolved configuration of a lock template.
 */
record LockSettings(Duration defaultLease, Duration defaultWait, boolean watchdog, Duration fallbackPoll,
		int waitForReplicas, Duration waitForReplicasTimeout, Duration commandTimeout) {
}
