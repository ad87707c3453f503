package io.redispatterns.stream.internal;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.JsonCodecException;
import io.redispatterns.core.JsonStrings;
import io.redispatterns.stream.StreamDelivery;
import io.redispatterns.stream.StreamHeader;
import io.redispatterns.stream.StreamHeaders;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a listener method receives an entry: a {@code String} payload read without Jackson when its JSON needs no
 * unescaping and with Jackson otherwise (the same value either way), headers as a view without the payload, and
 * the listener's own exception passed on unwrapped.
 */
class StreamHandlerMethodTests {

	private final JsonCodec codec = new JsonCodec(JsonMapper.builder().build());

	static final class Listener {

		final List<Object> received = new ArrayList<>();

		void onString(String payload, @StreamHeader("type") String type, StreamDelivery delivery) {
			this.received.add(payload);
			this.received.add(type);
			this.received.add(delivery);
		}

		void onMap(Map<String, Object> payload) {
			this.received.add(payload);
		}

		void failing(String payload) {
			throw new IllegalStateException("listener failed on " + payload);
		}

	}

	@Test
	void stringPayloadsDecodeAsJacksonWouldWithAndWithoutEscapes() throws Exception {
		StreamHandlerMethod handler = handler(new Listener(), "onString", String.class, String.class,
				StreamDelivery.class);
		for (String value : List.of("x", "", "plain text", "quote \" inside", "back\\slash", "tab\tand\nnewline",
				"unicode é ü ☃ 😀", "\u0001", "/slash", "{\"looks\": \"like json\"}")) {
			String json = new String(this.codec.encode(value), StandardCharsets.UTF_8);
			assertThat(handler.decode(json, this.codec)).as(json).isEqualTo(value);
		}
		// JSON that is not a plain string literal still goes through Jackson
		assertThat(handler.decode("42", this.codec)).isEqualTo("42");
		assertThat(handler.decode("null", this.codec)).isNull();
		assertThatExceptionOfType(JsonCodecException.class).isThrownBy(() -> handler.decode("\"unterminated", this.codec));
	}

	@Test
	void onlyPlainStringLiteralsAreReadWithoutJackson() {
		assertThat(JsonStrings.plainContent("\"abc\"")).isEqualTo("abc");
		assertThat(JsonStrings.plainContent("\"\"")).isEmpty();
		assertThat(JsonStrings.plainContent("\"a\\\"b\"")).isNull();
		assertThat(JsonStrings.plainContent("\"a\" \"b\"")).isNull();
		assertThat(JsonStrings.plainContent("\"a\nb\"")).isNull();
		assertThat(JsonStrings.plainContent("\"")).isNull();
		assertThat(JsonStrings.plainContent("abc")).isNull();
	}

	@Test
	void otherPayloadTypesStillDecodeWithJackson() throws Exception {
		StreamHandlerMethod handler = handler(new Listener(), "onMap", Map.class);
		assertThat(handler.decode("{\"a\":1}", this.codec)).isEqualTo(Map.of("a", 1));
	}

	@Test
	void headersAreTheFieldsWithoutThePayloadAndCannotBeChanged() throws Throwable {
		Listener listener = new Listener();
		StreamHandlerMethod handler = handler(listener, "onString", String.class, String.class, StreamDelivery.class);
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put(StreamHeaders.PAYLOAD, "\"hello\"");
		fields.put(StreamHeaders.TYPE, "java.lang.String");
		fields.put(StreamHeaders.MESSAGE_ID, "m-1");
		EntryHeaders headers = new EntryHeaders(fields);
		handler.invoke(handler.decode(fields.get(StreamHeaders.PAYLOAD), this.codec),
				new StreamDelivery("s", "g", "1-0", 1, headers));
		assertThat(listener.received).element(0).isEqualTo("hello");
		assertThat(listener.received).element(1).isEqualTo("java.lang.String");
		StreamDelivery delivery = (StreamDelivery) listener.received.get(2);
		assertThat(delivery.headers()).isEqualTo(Map.of(StreamHeaders.TYPE, "java.lang.String", StreamHeaders.MESSAGE_ID,
				"m-1"));
		assertThat(delivery.headers()).hasSize(2).doesNotContainKey(StreamHeaders.PAYLOAD);
		assertThat(delivery.header(StreamHeaders.PAYLOAD)).isNull();
		assertThat(delivery.headers().keySet()).containsExactly(StreamHeaders.TYPE, StreamHeaders.MESSAGE_ID);
		assertThatThrownBy(() -> delivery.headers().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
		assertThatThrownBy(() -> delivery.headers().remove(StreamHeaders.TYPE))
			.isInstanceOf(UnsupportedOperationException.class);
		assertThat(fields).hasSize(3);
	}

	@Test
	void theListenersExceptionIsPassedOnUnwrapped() throws Exception {
		StreamHandlerMethod handler = handler(new Listener(), "failing", String.class);
		assertThatThrownBy(() -> handler.invoke("x", new StreamDelivery("s", "g", "1-0", 1, Map.of())))
			.isExactlyInstanceOf(IllegalStateException.class)
			.hasMessage("listener failed on x");
	}

	private static StreamHandlerMethod handler(Listener listener, String name, Class<?>... parameters)
			throws NoSuchMethodException {
		Method method = Listener.class.getDeclaredMethod(name, parameters);
		return new StreamHandlerMethod(listener, method);
	}

}
