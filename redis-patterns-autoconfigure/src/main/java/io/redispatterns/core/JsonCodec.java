package io.redispatterns.core;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.ResolvableType;

/**
 * Encodes values as JSON for Redis with the {@link JsonMapper} that Spring Boot configures.
 * <p>
 * Payloads carry no class names: the reader names the type it expects, including generic
 * types such as {@code List<Product>} (from a method's declared return type or a
 * {@link ParameterizedTypeReference}). Nothing is ever JDK-serialized.
 */
public final class JsonCodec {

	private final JsonMapper mapper;

	/**
	 * Creates a codec over the given mapper.
	 * @param mapper the application's JSON mapper
	 */
	public JsonCodec(JsonMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * Encodes a value.
	 * @param value the value; {@code null} encodes as JSON {@code null}
	 * @return UTF-8 JSON bytes
	 * @throws JsonCodecException when the value cannot be written
	 */
	public byte[] encode(@Nullable Object value) {
		try {
			return this.mapper.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new JsonCodecException("Cannot encode " + typeName(value) + " as JSON", ex);
		}
	}

	/**
	 * Encodes a value as a JSON string.
	 * @param value the value
	 * @return the JSON text
	 * @throws JsonCodecException when the value cannot be written
	 */
	public String encodeToString(@Nullable Object value) {
		try {
			return this.mapper.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			throw new JsonCodecException("Cannot encode " + typeName(value) + " as JSON", ex);
		}
	}

	/**
	 * Decodes JSON into a class.
	 * @param <T> the target type
	 * @param json UTF-8 JSON bytes
	 * @param type the target class
	 * @return the decoded value ({@code null} for JSON {@code null})
	 * @throws JsonCodecException when the bytes are not JSON of that type
	 */
	public <T> @Nullable T decode(byte[] json, Class<T> type) {
		return decode(json, this.mapper.constructType(type));
	}

	/**
	 * Decodes JSON into a generic type, such as {@code new ParameterizedTypeReference<List<Product>>() {}}.
	 * @param <T> the target type
	 * @param json UTF-8 JSON bytes
	 * @param type the target type
	 * @return the decoded value
	 * @throws JsonCodecException when the bytes are not JSON of that type
	 */
	public <T> @Nullable T decode(byte[] json, ParameterizedTypeReference<T> type) {
		return decode(json, this.mapper.constructType(type.getType()));
	}

	/**
	 * Decodes JSON into a reflective type, such as a method's generic return type.
	 * @param <T> the target type
	 * @param json UTF-8 JSON bytes
	 * @param type the target type
	 * @return the decoded value
	 * @throws JsonCodecException when the bytes are not JSON of that type
	 */
	public <T> @Nullable T decode(byte[] json, Type type) {
		return decode(json, this.mapper.constructType(type));
	}

	/**
	 * Decodes JSON into a Spring {@link ResolvableType}.
	 * @param <T> the target type
	 * @param json UTF-8 JSON bytes
	 * @param type the target type
	 * @return the decoded value
	 * @throws JsonCodecException when the bytes are not JSON of that type
	 */
	public <T> @Nullable T decode(byte[] json, ResolvableType type) {
		return decode(json, type.getType());
	}

	private <T> @Nullable T decode(byte[] json, JavaType type) {
		try {
			return this.mapper.readValue(json, type);
		}
		catch (JacksonException ex) {
			throw new JsonCodecException("Cannot decode JSON as " + type.toCanonical(), ex);
		}
	}

	private static String typeName(@Nullable Object value) {
		return (value != null) ? value.getClass().getName() : "null";
	}

	/**
	 * Returns the mapper this codec writes with.
	 * @return the mapper
	 */
	public JsonMapper mapper() {
		return this.mapper;
	}

}
