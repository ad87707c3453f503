package io.redispatterns.pubsub.autoconfigure;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.pubsub.PubSubPublisher;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link PubSubPublisher} over {@code PUBLISH}.
 */
final class DefaultPubSubPublisher implements PubSubPublisher {

	static final String PATTERN = "ps";

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final JsonCodec codec;

	private final PubSubMetrics metrics;

	DefaultPubSubPublisher(StringRedisTemplate redis, RedisKeys keys, JsonCodec codec, PubSubMetrics metrics) {
		this.redis = redis;
		this.keys = keys;
		this.codec = codec;
		this.metrics = metrics;
	}

	@Override
	public long publish(String channel, Object payload) {
		String json = this.codec.encodeToString(payload);
		Long receivers;
		try {
			receivers = this.redis.convertAndSend(channelName(channel), json);
		}
		catch (RuntimeException ex) {
			throw RedisFailures.translate("Publishing to channel '" + channel + "'", ex);
		}
		long count = (receivers != null) ? receivers : 0;
		this.metrics.published(channel, count);
		return count;
	}

	@Override
	public String channelName(String channel) {
		return this.keys.namespace(PATTERN) + channel;
	}

}
