package io.redispatterns.session.autoconfigure;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.session.RevocationReason;
import io.redispatterns.session.SessionMetrics;

/**
 * {@link SessionMetrics} on Micrometer: {@code redis.patterns.session.revocations{reason}},
 * {@code redis.patterns.session.decode-failures}, {@code redis.patterns.session.eviction-failures} and
 * {@code redis.patterns.session.dropped-attributes{attribute}} (encrypted attributes that did not decrypt;
 * the tag is a configured attribute name).
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

	/** Name of the counter of encrypted attributes dropped because they did not decrypt. */
	static final String DROPPED_ATTRIBUTES = "redis.patterns.session.dropped-attributes";

	private final MeterRegistry registry;

	private final Counter decodeFailures;

	private final Counter evictionFailures;

	/**
	 * Registers the meters.
	 * @param registry the registry
	 */
	MicrometerSessionMetrics(MeterRegistry registry) {
		this(registry, List.of());
	}

	/**
	 * Registers the meters, with a dropped-attribute counter at 0 for each encrypted attribute.
	 * @param registry the registry
	 * @param encryptedAttributes the names of the encrypted attributes
	 */
	MicrometerSessionMetrics(MeterRegistry registry, Collection<String> encryptedAttributes) {
		this.registry = registry;
		encryptedAttributes.forEach(this::droppedAttributes);
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
			// the constructor registers a counter for every reason
			Objects.requireNonNull(this.revocations.get(reason)).increment(count);
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

	@Override
	public void attributeDropped(String attributeName) {
		droppedAttributes(attributeName).increment();
	}

	private Counter droppedAttributes(String attributeName) {
		return Counter.builder(DROPPED_ATTRIBUTES)
			.description("Encrypted session attributes dropped because they did not decrypt (tampered with, or key gone)")
			.tag("attribute", attributeName)
			.register(this.registry);
	}

}
