package io.redispatterns.pubsub.autoconfigure;

/**
 * What pub/sub records; a Micrometer implementation is used when Micrometer is present.
 */
interface PubSubMetrics {

	PubSubMetrics NONE = new PubSubMetrics() {
	};

	/**
	 * Called once the {@code @RedisListener} endpoints are known, for each one's channel (or pattern) without the
	 * channel prefix, so that its {@code received} meter exists at zero before the first message.
	 */
	default void register(String subscription) {
	}

	default void published(String channel, long receivers) {
	}

	default void received(String channel) {
	}

}
