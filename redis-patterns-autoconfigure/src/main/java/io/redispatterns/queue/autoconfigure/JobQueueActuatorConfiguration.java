package io.redispatterns.queue.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.queue.JobQueues;
import io.redispatterns.queue.QueueDepths;
import io.redispatterns.queue.internal.JobWorkerContainer;
import io.redispatterns.queue.internal.JobWorkerRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Adds job queues to the {@code redisPatterns} health and the {@code redispatterns} endpoint.
 */
@Configuration(proxyBeanMethods = false)
class JobQueueActuatorConfiguration {

	static List<Map<String, Object>> describe(JobWorkerRegistry registry, JobQueues queues) {
		List<Map<String, Object>> described = new ArrayList<>();
		for (JobWorkerContainer container : registry.containers()) {
			Map<String, Object> queue = new LinkedHashMap<>();
			queue.put("queue", container.queue());
			queue.put("handlers", container.handlerDescriptions());
			queue.put("state", container.state().name());
			queue.put("connected", container.isConnected());
			queue.put("concurrency", container.concurrency());
			queue.put("running", container.inFlight());
			try {
				QueueDepths depths = queues.depths(container.queue());
				queue.put("paused", depths.paused());
				queue.put("waiting", depths.waiting());
				queue.put("delayed", depths.delayed());
				queue.put("active", depths.active());
				queue.put("completed", depths.completed());
				queue.put("dead", depths.dead());
			}
			catch (RuntimeException ex) {
				queue.put("depths", "unavailable: " + ex.getClass().getSimpleName());
			}
			if (container.lastError() != null) {
				queue.put("lastError", container.lastError());
			}
			described.add(queue);
		}
		return described;
	}

	@Bean
	PatternEndpointDetails redisPatternsQueueEndpointDetails(JobWorkerRegistry registry, JobQueues queues) {
		return PatternEndpointDetails.of("queue", () -> Map.of("queues", describe(registry, queues)));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Health.class)
	static class HealthConfiguration {

		@Bean
		PatternHealthDetails redisPatternsQueueHealthDetails(JobWorkerRegistry registry, JobQueues queues) {
			return PatternHealthDetails.of("queue", () -> {
				boolean failed = registry.containers()
					.stream()
					.anyMatch((c) -> c.state() == JobWorkerContainer.State.FAILED
							|| (registry.isRunning() && c.state() == JobWorkerContainer.State.STOPPED));
				Health.Builder health = failed ? Health.down() : Health.up();
				return health.withDetail("queues", describe(registry, queues)).build();
			});
		}

	}

}
