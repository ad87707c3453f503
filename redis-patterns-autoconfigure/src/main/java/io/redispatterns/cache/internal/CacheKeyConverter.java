package io.redispatterns.cache.internal;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.StringJoiner;

import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.format.support.DefaultFormattingConversionService;

/**
 * Turns cache keys into the strings that identify entries, the way Spring Data Redis's
 * {@code RedisCache} does: a key must have a stable string form, so that two keys are one entry
 * exactly when they are equal.
 * <p>
 * Accepted: strings; types the {@link ConversionService} converts to {@code String} (primitives and
 * their wrappers, enums, {@code UUID}, dates and times, and every type with a {@code Converter} to
 * {@code String} registered there, which Spring Boot does for {@code Converter} beans);
 * {@link SimpleKey}; arrays, collections and maps of accepted keys ({@code [a,b]},
 * {@code {k=v}}); records of accepted components ({@code Name[a=..,b=..]}); and types that override
 * {@code toString()}. Anything else (its {@code toString()} is {@code Object}'s, made of the
 * identity hash code, so different keys could share an entry and equal keys never hit) is refused
 * with an {@link IllegalStateException} naming the type.
 */
public final class CacheKeyConverter {

	private static final TypeDescriptor STRING = TypeDescriptor.valueOf(String.class);

	private final ConversionService conversionService;

	/**
	 * Creates a converter over Spring's default formatting conversion service.
	 */
	public CacheKeyConverter() {
		this(new DefaultFormattingConversionService());
	}

	/**
	 * Creates a converter.
	 * @param conversionService the conversion service asked first for every non-string key
	 */
	public CacheKeyConverter(ConversionService conversionService) {
		this.conversionService = conversionService;
	}

	/**
	 * Converts a key.
	 * @param key the cache key
	 * @return its string form
	 * @throws IllegalStateException when the key's type has no stable string form
	 */
	public String convert(Object key) {
		if (key instanceof String string) {
			return string;
		}
		if (key instanceof SimpleKey simpleKey) {
			// SimpleKey's own toString joins its parameters' toString(): stable when they are
			return simpleKey.toString();
		}
		if (key.getClass().isArray()) {
			StringJoiner joined = new StringJoiner(",", "[", "]");
			for (int i = 0; i < Array.getLength(key); i++) {
				joined.add(convertNullable(Array.get(key, i)));
			}
			return joined.toString();
		}
		if (key instanceof Collection<?> collection) {
			StringJoiner joined = new StringJoiner(",", "[", "]");
			for (Object element : collection) {
				joined.add(convertNullable(element));
			}
			return joined.toString();
		}
		if (key instanceof Map<?, ?> map) {
			StringJoiner joined = new StringJoiner(",", "{", "}");
			map.forEach((k, v) -> joined.add(convertNullable(k) + "=" + convertNullable(v)));
			return joined.toString();
		}
		TypeDescriptor source = TypeDescriptor.forObject(key);
		if (source != null && this.conversionService.canConvert(source, STRING)) {
			String converted = (String) this.conversionService.convert(key, source, STRING);
			if (converted != null) {
				return converted;
			}
		}
		if (key instanceof Record record) {
			return convertRecord(record);
		}
		if (overridesToString(key.getClass())) {
			return key.toString();
		}
		throw new IllegalStateException("Cannot use a key of type " + key.getClass().getName()
				+ " as a cache key: it has no stable string form (its toString() is Object's identity hash code). "
				+ "Override toString(), register a Converter<" + key.getClass().getSimpleName()
				+ ", String> bean, or use a String, number, enum, record or list of those as the key");
	}

	private String convertNullable(Object element) {
		return (element != null) ? convert(element) : "null";
	}

	private String convertRecord(Record record) {
		StringJoiner joined = new StringJoiner(",", record.getClass().getSimpleName() + "[", "]");
		for (RecordComponent component : record.getClass().getRecordComponents()) {
			Object value;
			try {
				Method accessor = component.getAccessor();
				accessor.setAccessible(true);
				value = accessor.invoke(record);
			}
			catch (IllegalAccessException | InvocationTargetException | RuntimeException ex) {
				throw new IllegalStateException("Cannot read component '" + component.getName() + "' of cache key type "
						+ record.getClass().getName(), ex);
			}
			joined.add(component.getName() + "=" + convertNullable(value));
		}
		return joined.toString();
	}

	private static boolean overridesToString(Class<?> type) {
		try {
			return type.getMethod("toString").getDeclaringClass() != Object.class;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

}
