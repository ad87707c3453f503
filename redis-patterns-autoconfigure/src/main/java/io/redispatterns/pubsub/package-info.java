/**
 * Pub/sub on Spring Data Redis's {@code @RedisListener}: a {@link io.redispatterns.pubsub.PubSubPublisher} that
 * writes JSON with the application's codec to channels under the key prefix, and the glue that makes
 * {@code @RedisListener} read those channels and payloads. Pub/sub is fire-and-forget: a subscriber that is not
 * connected when a message is published never sees it. Use streams when delivery matters.
 */
@NullMarked
package io.redispatterns.pubsub;

import org.jspecify.annotations.NullMarked;
