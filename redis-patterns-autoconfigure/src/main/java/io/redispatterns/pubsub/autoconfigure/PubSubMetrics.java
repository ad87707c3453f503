package io.redispatterns.pubsub.autoconfigure;

/**
 * What pub/sub records; a Micrometer implementation is used when Micrometer is present.
 */
interface PubSubMetrics {

	PubSubMetrics NONE = new PubSubMetrics() {
	};

	default void published(String channel, long receivers) {
	}

	default void received(String channel) {
	}

}
