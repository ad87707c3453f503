/**
 * Redis Streams with consumer groups: {@link io.redispatterns.stream.RedisStreamListener @RedisStreamListener}
 * methods run by listener containers that acknowledge after the handler returns, take over entries left by
 * crashed consumers ({@code XAUTOCLAIM}), retry with back-off, dead-letter after a number of deliveries and
 * drain on shutdown; the {@link io.redispatterns.stream.StreamPublisher} and
 * {@link io.redispatterns.stream.StreamDeadLetters} APIs.
 */
@NullMarked
package io.redispatterns.stream;

import org.jspecify.annotations.NullMarked;
