package io.redispatterns.pubsub.autoconfigure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code redis.patterns.pubsub.published{channel}}, {@code redis.patterns.pubsub.receivers{channel}} (sum of
 * subscribers reached) and {@code redis.patterns.pubsub.received{channel}} (the subscribed pattern, such as
 * {@code audit.*}, for messages received through a pattern subscription). The tag is the logical channel name:
 * published channel names must be low-cardinality (no per-user or per-entity ids). The {@code received} counter of
 * every {@code @RedisListener} channel is registered at zero when the context is refreshed; the published
 * channels are known only when first published to.
 */
final class MicrometerPubSubMetrics implements PubSubMetrics {

	private final MeterRegistry registry;

	MicrometerPubSubMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void published(String channel, long receivers) {
		Counter.builder("redis.patterns.pubsub.published")
			.description("Messages published")
			.tag("channel", channel)
			.register(this.registry)
			.increment();
		Counter.builder("redis.patterns.pubsub.receivers")
			.description("Subscribers reached by published messages (0 means nobody was listening)")
			.tag("channel", channel)
			.register(this.registry)
			.increment(receivers);
	}

	@Override
	public void register(String subscription) {
		receivedCounter(subscription);
	}

	@Override
	public void received(String subscription) {
		receivedCounter(subscription).increment();
	}

	private Counter receivedCounter(String subscription) {
		return Counter.builder("redis.patterns.pubsub.received")
			.description("Messages decoded from JSON for @RedisListener methods")
			.tag("channel", subscription)
			.register(this.registry);
	}

}
