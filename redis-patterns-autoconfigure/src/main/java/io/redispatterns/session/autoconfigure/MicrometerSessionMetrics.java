package io.redispatterns.session.autoconfigure;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.session.RevocationReason;
import io.redispatterns.session.SessionMetrics;

/**
 * {@link SessionMetrics} on Micrometer: {@code redis.patterns.session.revocations{reason}},
 * {@code redis.patterns.session.decode-failures} and {@code redis.patterns.session.eviction-failures}.
 * Registered up front, so all show 0 before the first event. No tag ever carries a session id or user name.
 */
final class MicrometerSessionMetrics implements SessionMetrics {

	/** Name of the revocation counter. */
	static final String REVOCATIONS = "redis.patterns.session.revocations";

	/** Name of the decode-failure counter. */
	static final String DECODE_FAILURES = "redis.patterns.session.decode-failures";

	private final Map<RevocationReason, Counter> revocations = new EnumMap<>(RevocationReason.class);

	/** Name of the counter of failed evictions beyond max-per-user. */
	static final String EVICTION_FAILURES = "redis.patterns.session.eviction-failures";

	private final Counter decodeFailures;

	private final Counter evictionFailures;

	/**
	 * Registers the meters.
	 * @param registry the registry
	 */
	MicrometerSessionMetrics(MeterRegistry registry) {
		for (RevocationReason reason : RevocationReason.values()) {
			this.revocations.put(reason, Counter.builder(REVOCATIONS)
				.description("Sessions ended by redis-patterns, by reason")
				.tag("reason", reason.tag())
				.register(registry));
		}
		this.decodeFailures = Counter.builder(DECODE_FAILURES)
			.description("Stored sessions that did not decode and were treated as absent")
			.register(registry);
		this.evictionFailures = Counter.builder(EVICTION_FAILURES)
			.description("Logins after which the sessions beyond max-per-user could not be deleted")
			.register(registry);
	}

	@Override
	public void revoked(RevocationReason reason, int count) {
		if (count > 0) {
			this.revocations.get(reason).increment(count);
		}
	}

	@Override
	public void decodeFailure() {
		this.decodeFailures.increment();
	}

	@Override
	public void evictionFailure() {
		this.evictionFailures.increment();
	}

}
