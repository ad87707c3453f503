package io.redispatterns.core;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RedisKeysTests {

	private final RedisKeys keys = new RedisKeys("shop");

	@Test
	void buildsPrefixPatternNameId() {
		assertThat(this.keys.key("rl", "quotes", "203.0.113.9")).isEqualTo("shop:rl:quotes:203.0.113.9");
	}

	@ParameterizedTest
	@ValueSource(strings = { "203.0.113.9", "user@example.com", "a b:c{d}*", "Zürich", "",
			"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" })
	void taggedBytesAreTheUtf8OfTheTaggedKey(String id) {
		byte[] namespace = this.keys.namespace("rl", "quotes").getBytes(StandardCharsets.UTF_8);
		assertThat(new String(RedisKeys.taggedBytes(namespace, id), StandardCharsets.UTF_8))
			.isEqualTo(this.keys.tagged("rl", "quotes", id));
	}

	@Test
	void taggedKeysShareTheSlotOfTheirId() {
		String first = this.keys.tagged("rl", "quotes", "203.0.113.9");
		String second = this.keys.tagged("rl", "hourly", "203.0.113.9", "seq");
		assertThat(first).isEqualTo("shop:rl:quotes:{203.0.113.9}");
		assertThat(second).isEqualTo("shop:rl:hourly:{203.0.113.9}:seq");
		assertThat(SlotHash.getSlot(first)).isEqualTo(SlotHash.getSlot(second));
	}

	@ParameterizedTest
	@ValueSource(strings = { "a:b", "*", "user?", "[abc]", "{tag}", "}{", "x\\y", "tab\there", "line\nbreak",
			"100%", "caf\u00e9", "~", " ", "a b" })
	void escapedPartsHoldNoSeparatorGlobOrBraceCharacters(String hostile) {
		String escaped = RedisKeys.escape(hostile);
		assertThat(escaped).doesNotContain(":", "*", "?", "[", "]", "{", "}", "\\", " ", "\t", "\n");
		assertThat(escaped).matches("[A-Za-z0-9._\\-/=+@%~]*");
	}

	@Test
	void hostileIdCannotEscapeItsNamespaceOrHashTag() {
		String key = this.keys.tagged("rl", "quotes", "x}:other:{y");
		assertThat(key).startsWith("shop:rl:quotes:{").endsWith("}");
		assertThat(key.chars().filter((c) -> c == '{').count()).isOne();
		assertThat(key.chars().filter((c) -> c == '}').count()).isOne();
		assertThat(key.substring("shop:rl:quotes:".length())).doesNotContain(":");
	}

	@Test
	void escapingIsInjective() {
		List<String> inputs = List.of("a:b", "a%3Ab", "a%b", "a~b", "a%7Eb", "", " ", "%20", "A", "a");
		Set<String> escaped = new HashSet<>();
		inputs.forEach((input) -> escaped.add(RedisKeys.escape(input)));
		assertThat(escaped).hasSameSizeAs(inputs);
	}

	@Test
	void longPartsAreCappedAndStillDistinct() {
		String base = "x".repeat(10_000);
		String first = RedisKeys.escape(base + "1");
		String second = RedisKeys.escape(base + "2");
		assertThat(first).hasSizeLessThanOrEqualTo(RedisKeys.MAX_PART_LENGTH);
		assertThat(first).isNotEqualTo(second);
		assertThat(RedisKeys.escape("y".repeat(RedisKeys.MAX_PART_LENGTH))).hasSize(RedisKeys.MAX_PART_LENGTH);
	}

	@Test
	void manyEscapedCharactersAreCappedToo() {
		assertThat(RedisKeys.escape("*".repeat(500))).hasSizeLessThanOrEqualTo(RedisKeys.MAX_PART_LENGTH);
	}

	@Test
	void scanPatternMatchesOnlyItsNamespace() {
		assertThat(this.keys.scanPattern("cache", "pro*ducts")).isEqualTo("shop:cache:pro%2Aducts:*");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  ", "a b", "app{1}", "app*", "a?", "[x]" })
	void rejectsUnusablePrefixes(String prefix) {
		assertThat(RedisKeys.validatePrefix(prefix)).isNotNull();
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys(prefix));
	}

	@Test
	void acceptsPrefixWithSeparators() {
		assertThat(RedisKeys.validatePrefix("shop:eu-1")).isNull();
	}

	@Test
	void sanitizesApplicationNames() {
		assertThat(RedisKeys.sanitizePrefix("My Shop {eu}")).isEqualTo("My-Shop--eu-");
		assertThat(RedisKeys.validatePrefix(RedisKeys.sanitizePrefix("My Shop {eu}"))).isNull();
	}

	@Test
	void patternNamesAreLibraryChosen() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.keys.namespace("r:l"));
	}

}
