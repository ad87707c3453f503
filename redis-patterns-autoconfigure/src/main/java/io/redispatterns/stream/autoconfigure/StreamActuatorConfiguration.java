package io.redispatterns.stream.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.stream.StreamDeadLetters;
import io.redispatterns.stream.internal.ManagedStreamListener;
import io.redispatterns.stream.internal.StreamListenerContainer;
import io.redispatterns.stream.internal.StreamListenerRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Adds streams to the {@code redisPatterns} health and the {@code redispatterns} endpoint.
 */
@Configuration(proxyBeanMethods = false)
class StreamActuatorConfiguration {

	static List<Map<String, Object>> describe(StreamListenerRegistry registry, StreamDeadLetters deadLetters,
			boolean withStats) {
		List<Map<String, Object>> listeners = new ArrayList<>();
		for (ManagedStreamListener managed : registry.managed()) {
			StreamListenerContainer container = managed.container();
			Map<String, Object> listener = new LinkedHashMap<>();
			listener.put("id", managed.id());
			if (withStats) {
				// the endpoint names the handler method; health output carries no class names
				listener.put("handler", container.handlerDescription());
			}
			listener.put("stream", container.settings().stream());
			listener.put("group", container.settings().group());
			listener.put("consumer", container.settings().consumer());
			listener.put("state", managed.displayState());
			if (managed.isStoppedByUser()) {
				// stopped or not started by the application: not a failure
				listener.put("stoppedByUser", true);
			}
			if (!managed.isAutoStartup()) {
				listener.put("autoStartup", false);
			}
			listener.put("connected", container.isConnected());
			listener.put("concurrency", container.settings().concurrency());
			listener.put("inFlight", container.inFlight());
			listener.put("maxDeliveries", container.settings().maxDeliveries());
			listener.put("claimIdle", container.settings().claimIdle().toString());
			if (withStats) {
				long[] stats = container.groupStats();
				listener.put("pending", stats[0]);
				listener.put("lag", stats[1]);
			}
			if (withStats || container.isConnected()) {
				// health skips the lookup while Redis is unreachable: it would wait for the command timeout
				try {
					listener.put("deadLetters", deadLetters.size(container.settings().stream()));
				}
				catch (RuntimeException ex) {
					listener.put("deadLetters", "unavailable");
				}
			}
			if (container.lastError() != null) {
				listener.put("lastError", container.lastError());
			}
			listeners.add(listener);
		}
		return listeners;
	}

	@Bean
	PatternEndpointDetails redisPatternsStreamsEndpointDetails(StreamListenerRegistry registry,
			StreamDeadLetters deadLetters) {
		return PatternEndpointDetails.of("streams", () -> Map.of("listeners", describe(registry, deadLetters, true)));
	}

	private static boolean failed(StreamListenerRegistry registry, ManagedStreamListener managed) {
		StreamListenerContainer c = managed.container();
		return c.state() == StreamListenerContainer.State.FAILED
				|| (registry.isRunning() && c.state() == StreamListenerContainer.State.STOPPED
						&& !managed.isStoppedByUser())
				|| (c.state() == StreamListenerContainer.State.RUNNING && !c.isConnected() && c.lastError() != null);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Health.class)
	static class HealthConfiguration {

		@Bean
		PatternHealthDetails redisPatternsStreamsHealthDetails(StreamListenerRegistry registry,
				StreamDeadLetters deadLetters) {
			return PatternHealthDetails.of("streams", () -> {
				List<Map<String, Object>> listeners = describe(registry, deadLetters, false);
				// DOWN when a container failed, stopped while the application runs without being asked to, or
				// failed to reach Redis (not while its first connection is still being opened); paused and
				// stopped-by-the-application containers are UP
				boolean failed = registry.managed().stream().anyMatch((m) -> failed(registry, m));
				Health.Builder health = failed ? Health.down() : Health.up();
				return health.withDetail("listeners", listeners).build();
			});
		}

	}

}
