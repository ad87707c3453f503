package io.redispatterns.session.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.session.SessionSettings;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;

/**
 * The session part of the {@code redispatterns} endpoint: configuration, key layout and bounded counts
 * of session hashes and principal indexes, never session ids or user names.
 */
final class SessionEndpointDetails implements PatternEndpointDetails {

	private final RedisPatternsSessionRepository repository;

	private final SessionKeyspaceCounts counts;

	SessionEndpointDetails(RedisPatternsSessionRepository repository, SessionKeyspaceCounts counts) {
		this.repository = repository;
		this.counts = counts;
	}

	@Override
	public String patternName() {
		return "session";
	}

	@Override
	public Map<String, Object> describe() {
		SessionSettings settings = this.repository.settings();
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("repository", RedisPatternsSessionRepository.class.getSimpleName());
		description.put("formatVersion", RedisPatternsSessionRepository.FORMAT_VERSION);
		description.put("sessionKeys", this.repository.sessionKeyPattern());
		description.put("principalIndexKeys", this.repository.principalKey("") + "*");
		description.put("timeout", settings.defaultMaxInactiveInterval().toString());
		description.put("flushMode", settings.flushMode().name());
		description.put("saveMode", settings.saveMode().name());
		description.put("maxPerUser", settings.maxPerUser());
		description.put("absoluteTimeout",
				(settings.absoluteTimeout() != null) ? settings.absoluteTimeout().toString() : "none");
		description.put("touchInterval", settings.touchInterval().toString());
		description.put("allowedTypes", this.repository.codec().allowedTypes());
		description.put("sessions", count(this.repository.sessionKeyPattern()));
		description.put("principalsIndexed", count(this.repository.principalKey("") + "*"));
		return description;
	}

	/** A bounded count: {@code SCAN} of at most {@value SessionKeyspaceCounts#LIMIT} keys, never {@code KEYS}. */
	private Map<String, Object> count(String pattern) {
		Map<String, Object> count = new LinkedHashMap<>();
		try {
			SessionKeyspaceCounts.Count counted = this.counts.count(pattern);
			count.put(counted.complete() ? "count" : "atLeast", counted.keys());
		}
		catch (RuntimeException ex) {
			count.put("error", "Redis could not be scanned: " + ex.getMessage());
		}
		return count;
	}

}
