package io.redispatterns.pubsub.autoconfigure;

import io.redispatterns.core.RedisKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.env.PropertySource;

/**
 * Resolves {@code ${redis-patterns.pubsub.channel-prefix}} to {@code <prefix>:ps:} from the {@link RedisKeys}
 * bean, so {@code @RedisListener} topics live under the key prefix.
 */
final class ChannelPrefixPropertySource extends PropertySource<BeanFactory> {

	static final String NAME = "redisPatternsPubSub";

	static final String PROPERTY = "redis-patterns.pubsub.channel-prefix";

	ChannelPrefixPropertySource(BeanFactory beanFactory) {
		super(NAME, beanFactory);
	}

	@Override
	public @Nullable Object getProperty(String name) {
		if (!PROPERTY.equals(name)) {
			return null;
		}
		return getSource().getBean(RedisKeys.class).namespace(DefaultPubSubPublisher.PATTERN);
	}

}
