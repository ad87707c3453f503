package io.redispatterns.queue;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What a job id may contain: 1 to 128 ASCII letters, digits or {@code . _ : = @ -}.
 */
class JobIdTests {

	@Test
	void acceptsLettersDigitsAndTheAllowedPunctuationUpTo128Characters() {
		assertThat(JobId.of("a").value()).isEqualTo("a");
		assertThat(JobId.of("order-42_retry.1:x=y@z").value()).isEqualTo("order-42_retry.1:x=y@z");
		assertThat(JobId.of("Z9".repeat(64)).value()).hasSize(128);
		assertThat(JobId.generate().value()).matches("[a-z0-9]{18,20}");
	}

	@Test
	void rejectsEmptyTooLongAndAnyOtherCharacter() {
		for (String invalid : new String[] { "", "a".repeat(129), "a b", "a{b}", "a*", "a/b", "a\nb", "é", "ａ",
				"a\uD83D\uDE00" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> JobId.of(invalid))
				.withMessageContaining("Job id must be 1 to 128 letters");
		}
	}

}
