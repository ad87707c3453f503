package io.redispatterns.pubsub.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.RedisKeys;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.config.AbstractRedisListenerEndpoint;
import org.springframework.data.redis.config.RedisListenerEndpoint;
import org.springframework.data.redis.config.RedisListenerEndpointRegistry;

/**
 * The {@code pubsub} part of the {@code redispatterns} endpoint: the channel prefix, each listener
 * container and whether it has subscribed, and each {@code @RedisListener} endpoint with its channel
 * (as configured, possibly a pattern) and whether it runs. Makes no Redis call.
 */
final class PubSubEndpointDetails implements PatternEndpointDetails {

	private final RedisListenerContainerStarter starter;

	private final RedisKeys keys;

	private final ObjectProvider<RedisListenerEndpointRegistry> registries;

	PubSubEndpointDetails(RedisListenerContainerStarter starter, RedisKeys keys,
			ObjectProvider<RedisListenerEndpointRegistry> registries) {
		this.starter = starter;
		this.keys = keys;
		this.registries = registries;
	}

	@Override
	public String patternName() {
		return "pubsub";
	}

	@Override
	public Map<String, Object> describe() {
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("channelPrefix", this.keys.namespace(DefaultPubSubPublisher.PATTERN));
		Map<String, Object> containers = new LinkedHashMap<>();
		this.starter.subscribed()
			.forEach((name, subscribed) -> containers.put(name, subscribed ? "subscribed" : "waiting for Redis"));
		description.put("listenerContainers", containers);
		List<Map<String, Object>> listeners = new ArrayList<>();
		this.registries.orderedStream().forEach((registry) -> {
			for (RedisListenerEndpoint endpoint : registry.getEndpoints()) {
				Map<String, Object> listener = new LinkedHashMap<>();
				listener.put("id", endpoint.getId());
				if (endpoint instanceof AbstractRedisListenerEndpoint described) {
					listener.put("channel", described.getTopic());
				}
				if (endpoint instanceof SmartLifecycle lifecycle) {
					listener.put("running", lifecycle.isRunning());
				}
				listeners.add(listener);
			}
		});
		description.put("listeners", listeners);
		return description;
	}

}
