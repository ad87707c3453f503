package io.redispatterns.writebehind.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.writebehind.BufferState;
import io.redispatterns.writebehind.internal.BufferFlusher;
import io.redispatterns.writebehind.internal.RedisWriteBehinds;
import io.redispatterns.writebehind.internal.WriteBehindFlushers;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Adds write-behind buffers to the {@code redisPatterns} health and the {@code redispatterns} endpoint.
 */
@Configuration(proxyBeanMethods = false)
class WriteBehindActuatorConfiguration {

	static List<Map<String, Object>> describe(WriteBehindFlushers flushers, RedisWriteBehinds buffers) {
		List<Map<String, Object>> described = new ArrayList<>();
		for (BufferFlusher flusher : flushers.flushers()) {
			Map<String, Object> buffer = new LinkedHashMap<>();
			buffer.put("buffer", flusher.buffer());
			buffer.put("flushMethod", flusher.binding().method().description());
			buffer.put("maxBatch", flusher.binding().maxBatch());
			buffer.put("every", flusher.binding().every().toString());
			buffer.put("running", flusher.isRunning());
			buffer.put("flushedItems", flusher.flushedItems());
			if (flusher.lastFlush() != null) {
				buffer.put("lastFlush", flusher.lastFlush().toString());
			}
			try {
				BufferState state = buffers.state(flusher.buffer());
				buffer.put("pending", state.pending());
				buffer.put("inFlight", state.inFlight());
				if (state.batchId() != null) {
					buffer.put("batchAttempts", state.attempts());
				}
				if (state.lastError() != null) {
					buffer.put("batchError", state.lastError());
				}
				buffer.put("dead", state.dead());
			}
			catch (RuntimeException ex) {
				buffer.put("state", "unavailable: " + ex.getClass().getSimpleName());
			}
			if (flusher.lastError() != null) {
				buffer.put("lastError", flusher.lastError());
			}
			described.add(buffer);
		}
		return described;
	}

	@Bean
	PatternEndpointDetails redisPatternsWriteBehindEndpointDetails(WriteBehindFlushers flushers,
			RedisWriteBehinds buffers) {
		return PatternEndpointDetails.of("writeBehind", () -> Map.of("buffers", describe(flushers, buffers)));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Health.class)
	static class HealthConfiguration {

		@Bean
		PatternHealthDetails redisPatternsWriteBehindHealthDetails(WriteBehindFlushers flushers,
				RedisWriteBehinds buffers) {
			return PatternHealthDetails.of("writeBehind", () -> {
				// a flusher that stopped while the application runs persists nothing any more
				boolean stopped = flushers.isRunning()
						&& flushers.flushers().stream().anyMatch((flusher) -> !flusher.isRunning());
				Health.Builder health = stopped ? Health.down() : Health.up();
				return health.withDetail("buffers", describe(flushers, buffers)).build();
			});
		}

	}

}
