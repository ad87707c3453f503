/**
 * Auto-configuration of redis-patterns pub/sub.
 */
@NullMarked
package io.redispatterns.pubsub.autoconfigure;

import org.jspecify.annotations.NullMarked;
