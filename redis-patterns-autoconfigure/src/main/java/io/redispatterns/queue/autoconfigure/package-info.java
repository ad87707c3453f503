/**
 * Auto-configuration of the job queue.
 */
@NullMarked
package io.redispatterns.queue.autoconfigure;

import org.jspecify.annotations.NullMarked;
