package io.redispatterns.session.autoconfigure;

import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.session.SessionSettings;
import io.redispatterns.session.internal.RedisPatternsSessionRepository;

import org.springframework.boot.health.contributor.Health;

/**
 * The {@code session} section of the {@code redisPatterns} health contributor: always {@code UP}
 * (Redis reachability is the contributor's own check) with the timeout, the session limit and what
 * this application counted since it started (sessions that did not decode, encrypted attributes
 * dropped, failed evictions). Makes no Redis call; the session and principal counts are in the
 * {@code redispatterns} endpoint.
 */
final class SessionHealthDetails implements PatternHealthDetails {

	private final RedisPatternsSessionRepository repository;

	private final SessionEventCounts counts;

	SessionHealthDetails(RedisPatternsSessionRepository repository, SessionEventCounts counts) {
		this.repository = repository;
		this.counts = counts;
	}

	@Override
	public String patternName() {
		return "session";
	}

	@Override
	public Health health() {
		SessionSettings settings = this.repository.settings();
		return Health.up()
			.withDetail("timeout", settings.defaultMaxInactiveInterval().toString())
			.withDetail("maxPerUser", settings.maxPerUser())
			.withDetail("undecodableSessions", this.counts.decodeFailures())
			.withDetail("droppedEncryptedAttributes", this.counts.droppedAttributes())
			.withDetail("evictionFailures", this.counts.evictionFailures())
			.build();
	}

}
