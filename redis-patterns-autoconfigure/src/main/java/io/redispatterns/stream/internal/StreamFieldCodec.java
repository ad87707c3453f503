package io.redispatterns.stream.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.netty.buffer.ByteBuf;
import io.redispatterns.stream.StreamHeaders;

/**
 * Internal: the codec of a listener container's read connection: UTF-8 strings, where the well-known field names
 * ({@code payload}, {@code type}, ...) and a {@code type} value equal to the previous one are the same
 * {@code String} instances every time (no new string per entry, hash code cached for the type check). One
 * instance per connection: its replies are decoded by one thread at a time.
 */
final class StreamFieldCodec implements RedisCodec<String, String>, ToByteBufEncoder<String, String> {

	private static final StringCodec UTF8 = StringCodec.UTF8;

	/** Whether the last key decoded was the {@code type} field: its value is decoded next. */
	private boolean typeValueNext;

	private byte[] lastType = new byte[0];

	private String lastTypeString = "";

	@Override
	public String decodeKey(ByteBuffer bytes) {
		String known = FieldStrings.known(bytes);
		this.typeValueNext = StreamHeaders.TYPE.equals(known);
		return (known != null) ? known : UTF8.decodeKey(bytes);
	}

	@Override
	public String decodeValue(ByteBuffer bytes) {
		if (!this.typeValueNext) {
			return UTF8.decodeValue(bytes);
		}
		this.typeValueNext = false;
		if (!FieldStrings.equal(this.lastType, bytes)) {
			byte[] raw = new byte[bytes.remaining()];
			bytes.duplicate().get(raw);
			this.lastType = raw;
			this.lastTypeString = new String(raw, StandardCharsets.UTF_8);
		}
		return this.lastTypeString;
	}

	@Override
	public ByteBuffer encodeKey(String key) {
		return UTF8.encodeKey(key);
	}

	@Override
	public ByteBuffer encodeValue(String value) {
		return UTF8.encodeValue(value);
	}

	@Override
	public void encodeKey(String key, ByteBuf target) {
		UTF8.encodeKey(key, target);
	}

	@Override
	public void encodeValue(String value, ByteBuf target) {
		UTF8.encodeValue(value, target);
	}

	@Override
	public int estimateSize(Object keyOrValue) {
		return UTF8.estimateSize(keyOrValue);
	}

	@Override
	public boolean isEstimateExact() {
		return UTF8.isEstimateExact();
	}

}
