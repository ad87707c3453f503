package io.redispatterns.cache.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cached strings read back exactly as written, whether their JSON is read without a parser (nothing to unescape)
 * or with Jackson (escapes); other types still go through Jackson.
 */
class CacheEntryCodecTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final List<String> evicted = new ArrayList<>();

	private final CacheEntryCodec codec = new CacheEntryCodec(this.mapper, (cache, message) -> {
	});

	@Test
	void stringsReadBackAsWritten() {
		for (String value : List.of("a cached value", "", "quote \" inside", "back\\slash", "line\nbreak",
				"<p class=\"x\">html</p>", "ünïcode 😀", "\u0000", "{\"json\": \"inside\"}", "null")) {
			assertThat(decode(this.mapper.writeValueAsString(value), String.class)).as(value).isEqualTo(value);
		}
		assertThat(this.evicted).isEmpty();
	}

	@Test
	void aNumberStoredForAStringStillDecodesThroughJackson() {
		assertThat(decode("42", String.class)).isEqualTo("42");
	}

	@Test
	void otherTypesDecodeThroughJackson() {
		assertThat(decode("{\"a\":1}", Map.class)).isEqualTo(Map.of("a", 1));
		assertThat(decode("\"7\"", Integer.class)).isEqualTo(7);
	}

	@Test
	void anUndecodableEntryIsEvictedByItsValueKey() {
		assertThat(decode("{\"a\":", Map.class)).isNull();
		assertThat(this.evicted).containsExactly("products|app:cache:products:{products%3A1}");
	}

	private Object decode(String json, Class<?> type) {
		String raw = new CacheEntry(System.currentTimeMillis() + 60_000, 0, false, json).encode();
		CacheEntryCodec.Decoded<Object> decoded = this.codec.decode("products", "app:cache:products:{products%3A1}",
				raw, type, (cache, valueKey) -> this.evicted.add(cache + "|" + valueKey));
		return (decoded != null) ? decoded.value() : null;
	}

}
