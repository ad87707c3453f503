/**
 * Streams and pub/sub in the sample: orders published to a stream, billed by a
 * {@code @RedisStreamListener} (negative amounts always fail and end up dead-lettered), and notifications
 * fanned out over pub/sub to a server-sent-events endpoint.
 */
@NullMarked
package io.redispatterns.sample.stream;

import org.jspecify.annotations.NullMarked;
