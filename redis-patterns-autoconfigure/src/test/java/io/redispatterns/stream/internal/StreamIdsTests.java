package io.redispatterns.stream.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stream ids compare as Redis orders them: milliseconds, then sequence, both unsigned 64-bit numbers.
 */
class StreamIdsTests {

	@Test
	void idsCompareByTimeThenSequenceAsUnsigned64BitNumbers() {
		assertThat(StreamIds.compare("1-0", "2-0")).isNegative();
		assertThat(StreamIds.compare("10-0", "9-5")).isPositive();
		assertThat(StreamIds.compare("5-10", "5-9")).isPositive();
		assertThat(StreamIds.compare("5-3", "5-3")).isZero();
		assertThat(StreamIds.compare("5", "5-0")).isZero();
		assertThat(StreamIds.compare("18446744073709551615-0", "9223372036854775807-0")).isPositive();
		assertThat(StreamIds.compare("1-18446744073709551615", "1-1")).isPositive();
		assertThat(StreamIds.max("1700000000000-7", "1700000000000-12")).isEqualTo("1700000000000-12");
	}

	@Test
	void thePredecessorOfAnIdIsTheLargestIdBelowIt() {
		assertThat(StreamIds.predecessor("5-3")).isEqualTo("5-2");
		assertThat(StreamIds.predecessor("5-0")).isEqualTo("4-18446744073709551615");
		assertThat(StreamIds.predecessor("0-0")).isEqualTo("0-0");
	}

}
