package io.redispatterns.session.autoconfigure;

import java.util.concurrent.atomic.LongAdder;

import io.redispatterns.session.RevocationReason;
import io.redispatterns.session.SessionMetrics;

/**
 * Counts, in this application since it started, the session events worth showing in health: sessions
 * that did not decode, encrypted attributes dropped, failed evictions. Every event also goes to the
 * application's {@link SessionMetrics}.
 */
final class SessionEventCounts {

	private final LongAdder decodeFailures = new LongAdder();

	private final LongAdder droppedAttributes = new LongAdder();

	private final LongAdder evictionFailures = new LongAdder();

	long decodeFailures() {
		return this.decodeFailures.sum();
	}

	long droppedAttributes() {
		return this.droppedAttributes.sum();
	}

	long evictionFailures() {
		return this.evictionFailures.sum();
	}

	/** Returns metrics that count here, then pass every event on to {@code delegate}. */
	SessionMetrics counting(SessionMetrics delegate) {
		return new SessionMetrics() {

			@Override
			public void revoked(RevocationReason reason, int count) {
				delegate.revoked(reason, count);
			}

			@Override
			public void decodeFailure() {
				SessionEventCounts.this.decodeFailures.increment();
				delegate.decodeFailure();
			}

			@Override
			public void evictionFailure() {
				SessionEventCounts.this.evictionFailures.increment();
				delegate.evictionFailure();
			}

			@Override
			public void attributeDropped(String attributeName) {
				SessionEventCounts.this.droppedAttributes.increment();
				delegate.attributeDropped(attributeName);
			}

		};
	}

}
