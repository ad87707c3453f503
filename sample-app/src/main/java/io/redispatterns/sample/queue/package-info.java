/**
 * The job queue in the sample: e-mails sent by a {@code @RedisJobHandler} that fails a requested number of
 * attempts first, so retries, back-off and dead letters can be watched over HTTP.
 */
@NullMarked
package io.redispatterns.sample.queue;

import org.jspecify.annotations.NullMarked;
