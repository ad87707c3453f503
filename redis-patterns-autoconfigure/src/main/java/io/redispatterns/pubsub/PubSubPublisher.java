package io.redispatterns.pubsub;

/**
 * Publishes JSON messages to Redis pub/sub channels under the key prefix.
 * <p>
 * A logical channel {@code notifications} is the Redis channel {@code <prefix>:ps:notifications}; receive it
 * with Spring Data Redis's {@code @RedisListener(topic = "${redis-patterns.pubsub.channel-prefix}notifications")}
 * (patterns such as {@code ${redis-patterns.pubsub.channel-prefix}orders.*} work too). Payloads are encoded with
 * the application's {@link io.redispatterns.core.JsonCodec}, and listener parameters of any JSON type are
 * decoded with the same codec. Delivery is fire-and-forget: only to subscribers connected at that moment; a
 * {@code PUBLISH} the client re-sends after a lost reply (on reconnect) reaches subscribers twice.
 */
public interface PubSubPublisher {

	/**
	 * Publishes a payload as JSON.
	 * @param channel logical channel name, such as {@code notifications}
	 * @param payload the payload
	 * @return the number of subscribers that received it (on Cluster: of the node it was published on)
	 * @throws io.redispatterns.core.RedisUnavailableException when Redis could not be reached (nothing published)
	 * @throws io.redispatterns.core.RedisOutcomeUnknownException when the command was sent and no reply came
	 */
	long publish(String channel, Object payload);

	/**
	 * Returns the Redis channel name of a logical channel.
	 * @param channel logical channel name
	 * @return {@code <prefix>:ps:<channel>}
	 */
	String channelName(String channel);

}
