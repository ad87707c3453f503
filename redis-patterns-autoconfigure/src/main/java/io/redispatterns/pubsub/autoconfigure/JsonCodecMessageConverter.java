package io.redispatterns.pubsub.autoconfigure;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.RedisKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.data.redis.listener.Topic;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.AbstractMessageConverter;
import org.springframework.util.MimeType;

/**
 * Decodes {@code @RedisListener} payloads with the application's {@link JsonCodec} into any parameter type but
 * {@code String} and {@code byte[]} (those keep Spring Data Redis's converters), and counts received messages per
 * channel, or per pattern for pattern subscriptions.
 */
final class JsonCodecMessageConverter extends AbstractMessageConverter {

	/** Header names of Spring Data Redis's {@code @RedisListener} messages ({@code PubSubHeaders}). */
	private static final String CHANNEL_HEADER = "channel";

	private static final String PATTERN_HEADER = "pattern";

	private final JsonCodec codec;

	private final String channelPrefix;

	private final PubSubMetrics metrics;

	JsonCodecMessageConverter(JsonCodec codec, RedisKeys keys, PubSubMetrics metrics) {
		super(new MimeType("application", "json"));
		setStrictContentTypeMatch(false);
		this.codec = codec;
		this.channelPrefix = keys.namespace(DefaultPubSubPublisher.PATTERN);
		this.metrics = metrics;
	}

	@Override
	protected boolean supports(Class<?> clazz) {
		return clazz != String.class && clazz != byte[].class && !Message.class.isAssignableFrom(clazz);
	}

	@Override
	protected boolean canConvertFrom(Message<?> message, Class<?> targetClass) {
		return supports(targetClass) && (message.getPayload() instanceof byte[] || message.getPayload() instanceof String);
	}

	@Override
	protected @Nullable Object convertFromInternal(Message<?> message, Class<?> targetClass,
			@Nullable Object conversionHint) {
		byte[] body = (message.getPayload() instanceof byte[] bytes) ? bytes
				: message.getPayload().toString().getBytes(StandardCharsets.UTF_8);
		Type type = (conversionHint instanceof MethodParameter parameter) ? parameter.getGenericParameterType()
				: targetClass;
		Object value = this.codec.decode(body, type);
		this.metrics.received(subscription(message.getHeaders()));
		return value;
	}

	@Override
	protected @Nullable Object convertToInternal(Object payload, @Nullable MessageHeaders headers,
			@Nullable Object conversionHint) {
		return this.codec.encode(payload);
	}

	/**
	 * The metric's channel tag: the subscribed pattern when the message came through a pattern subscription
	 * (so one pattern is one time series however many channels match it), else the channel; without the
	 * redis-patterns channel prefix.
	 */
	private String subscription(MessageHeaders headers) {
		Object pattern = headers.get(PATTERN_HEADER);
		String name = name((pattern != null) ? pattern : headers.get(CHANNEL_HEADER));
		return withoutPrefix(name, this.channelPrefix);
	}

	/** A channel or pattern as the metric's channel tag names it: without the redis-patterns channel prefix. */
	static String withoutPrefix(String name, String channelPrefix) {
		return name.startsWith(channelPrefix) ? name.substring(channelPrefix.length()) : name;
	}

	private static String name(@Nullable Object header) {
		if (header instanceof Topic topic) {
			return topic.getTopic();
		}
		if (header instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return String.valueOf(header);
	}

}
