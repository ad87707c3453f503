package io.redispatterns.stream.internal;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Entries in flight are tracked per share: an entry counts until the share's thread has finished it.
 */
class InFlightEntriesTests {

	@Test
	void entriesCountUntilFinishedAndTheShareEnds() {
		InFlightEntries inFlight = new InFlightEntries();
		InFlightEntries.Share first = inFlight.begin(List.of(entry("1-0"), entry("2-0"), entry("3-0")));
		InFlightEntries.Share second = inFlight.begin(List.of(entry("4-0")));
		assertThat(inFlight.count()).isEqualTo(4);
		first.finishedOne();
		assertThat(inFlight.count()).isEqualTo(3);
		assertThat(inFlight.ids()).containsExactlyInAnyOrder("2-0", "3-0", "4-0");
		assertThat(inFlight.contains("1-0")).isFalse();
		assertThat(inFlight.contains("3-0")).isTrue();
		inFlight.end(second);
		assertThat(inFlight.contains("4-0")).isFalse();
		inFlight.end(first);
		assertThat(inFlight.isEmpty()).isTrue();
		assertThat(inFlight.count()).isZero();
	}

	private static StreamEntry entry(String id) {
		return new StreamEntry(id, 1, Map.of("payload", "\"x\""), false);
	}

}
