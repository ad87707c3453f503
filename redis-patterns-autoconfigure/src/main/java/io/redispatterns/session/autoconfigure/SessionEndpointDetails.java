package io.redispatterns.session.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.session.RedisPatternsSessionRepository;
import io.redispatterns.session.SessionSettings;

/**
 * The session part of the {@code redispatterns} endpoint: configuration and key layout only, never
 * session ids or user names.
 */
final class SessionEndpointDetails implements PatternEndpointDetails {

	private final RedisPatternsSessionRepository repository;

	SessionEndpointDetails(RedisPatternsSessionRepository repository) {
		this.repository = repository;
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
		return description;
	}

}
