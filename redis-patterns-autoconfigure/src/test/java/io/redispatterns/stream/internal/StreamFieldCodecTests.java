package io.redispatterns.stream.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.redispatterns.stream.StreamHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read connection's codec decodes field names and values as UTF-8 and hands out the same strings for the
 * well-known names and a repeated {@code type} value.
 */
class StreamFieldCodecTests {

	private final StreamFieldCodec codec = new StreamFieldCodec();

	@Test
	void wellKnownFieldNamesAreTheSameStringsEveryTime() {
		assertThat(this.codec.decodeKey(bytes("payload"))).isSameAs(StreamHeaders.PAYLOAD);
		assertThat(this.codec.decodeKey(bytes("type"))).isSameAs(StreamHeaders.TYPE);
		assertThat(this.codec.decodeKey(bytes("other"))).isEqualTo("other");
		assertThat(this.codec.decodeKey(bytes("payloads"))).isEqualTo("payloads");
	}

	@Test
	void aRepeatedTypeValueIsTheSameStringAndOtherValuesAreDecodedAsUtf8() {
		this.codec.decodeKey(bytes("type"));
		String first = this.codec.decodeValue(bytes("com.example.Order"));
		this.codec.decodeKey(bytes("payload"));
		assertThat(this.codec.decodeValue(bytes("\"caf\u00e9\""))).isEqualTo("\"caf\u00e9\"");
		this.codec.decodeKey(bytes("type"));
		assertThat(this.codec.decodeValue(bytes("com.example.Order"))).isSameAs(first).isEqualTo("com.example.Order");
		this.codec.decodeKey(bytes("type"));
		assertThat(this.codec.decodeValue(bytes("com.example.Refund"))).isEqualTo("com.example.Refund");
	}

	@Test
	void decodingLeavesTheBufferPositionAlone() {
		ByteBuffer buffer = bytes("type");
		this.codec.decodeKey(buffer);
		ByteBuffer value = bytes("com.example.Order");
		this.codec.decodeValue(value);
		assertThat(value.remaining()).isEqualTo("com.example.Order".length());
	}

	private static ByteBuffer bytes(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

}
