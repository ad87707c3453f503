package io.redispatterns.session;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.redispatterns.core.JsonCodecException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import org.springframework.util.ClassUtils;

/**
 * Writes session attribute values as JSON and reads them back, with Jackson 3 and no JDK
 * serialization.
 * <p>
 * Attribute values are declared as {@code Object}, so each value carries its class name
 * ({@code "@class"}), and reading accepts only allow-listed classes: common JDK value and
 * collection types, Spring Security's own types (through its Jackson modules, when Spring Security is
 * on the classpath: {@code SecurityContextImpl}, authentication tokens, {@code User}, CSRF tokens,
 * saved requests) and the classes or packages the application adds. Anything else fails to decode,
 * which the repository treats as an absent session.
 */
public final class SessionAttributeCodec {

	private static final List<Class<?>> JDK_TYPES = List.of(String.class, Boolean.class, Character.class,
			Byte.class, Short.class, Integer.class, Long.class, Float.class, Double.class, BigInteger.class,
			BigDecimal.class, ArrayList.class, LinkedList.class, HashMap.class, LinkedHashMap.class, TreeMap.class,
			HashSet.class, LinkedHashSet.class, TreeSet.class, Date.class, UUID.class, Locale.class, Instant.class,
			Duration.class, Period.class, LocalDate.class, LocalTime.class, LocalDateTime.class,
			OffsetDateTime.class, ZonedDateTime.class);

	private static final List<String> JDK_TYPE_NAMES = List.of("java.util.Collections$UnmodifiableSet",
			"java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableMap",
			"java.util.Collections$EmptyList", "java.util.Collections$EmptyMap", "java.util.Collections$EmptySet",
			"java.util.Collections$SingletonList", "java.util.Arrays$ArrayList", "[B", "[I", "[J", "[D", "[Z",
			"[Ljava.lang.String;");

	private static final String SECURITY_MODULES = "org.springframework.security.jackson.SecurityJacksonModules";

	private final ObjectWriter writer;

	private final ObjectReader reader;

	private final List<String> allowedTypes;

	private SessionAttributeCodec(JsonMapper mapper, List<String> allowedTypes) {
		this.writer = mapper.writerFor(Object.class);
		this.reader = mapper.readerFor(Object.class);
		this.allowedTypes = List.copyOf(allowedTypes);
	}

	/**
	 * Creates a codec.
	 * @param base the application's mapper (its settings and modules are kept)
	 * @param allowedTypes further classes allowed as attribute values: a class name such as
	 * {@code com.example.Cart}, or a package prefix ending in {@code .} or {@code .*} such as
	 * {@code com.example.session.*}
	 * @param classLoader the class loader that finds Spring Security's modules
	 * @return the codec
	 * @throws IllegalArgumentException when an entry is blank or not a Java name
	 */
	public static SessionAttributeCodec create(JsonMapper base, Collection<String> allowedTypes,
			@Nullable ClassLoader classLoader) {
		BasicPolymorphicTypeValidator.Builder validator = BasicPolymorphicTypeValidator.builder();
		JDK_TYPES.forEach(validator::allowIfSubType);
		JDK_TYPE_NAMES.forEach((name) -> validator.allowIfSubType(Pattern.compile(Pattern.quote(name))));
		List<String> normalized = new ArrayList<>();
		for (String entry : allowedTypes) {
			String type = entry.trim();
			if (type.endsWith(".*")) {
				type = type.substring(0, type.length() - 1);
			}
			if (!type.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*\\.?")) {
				throw new IllegalArgumentException("'" + entry + "' is neither a class name nor a package prefix");
			}
			normalized.add(type);
			if (type.endsWith(".")) {
				validator.allowIfSubType(type);
			}
			else {
				validator.allowIfSubType(Pattern.compile(Pattern.quote(type)));
			}
		}
		ClassLoader loader = (classLoader != null) ? classLoader : ClassUtils.getDefaultClassLoader();
		JsonMapper.Builder builder = base.rebuild();
		if (loader != null && ClassUtils.isPresent(SECURITY_MODULES, loader)) {
			List<JacksonModule> modules = SecurityModules.modules(loader, validator);
			builder.addModules(modules);
		}
		else {
			builder.activateDefaultTyping(validator.build(), DefaultTyping.NON_FINAL, JsonTypeInfo.As.PROPERTY);
		}
		return new SessionAttributeCodec(builder.build(), normalized);
	}

	/**
	 * Encodes one attribute value.
	 * @param value the value
	 * @return JSON with type information
	 * @throws JsonCodecException when the value cannot be written
	 */
	public String encode(Object value) {
		try {
			return this.writer.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			throw new JsonCodecException("Cannot encode session attribute of type " + value.getClass().getName(), ex);
		}
	}

	/**
	 * Decodes one attribute value.
	 * @param json the stored JSON
	 * @return the value
	 * @throws JsonCodecException when the JSON is malformed or names a class that is not allowed
	 */
	public @Nullable Object decode(String json) {
		try {
			return this.reader.readValue(json);
		}
		catch (JacksonException ex) {
			throw new JsonCodecException("Cannot decode session attribute", ex);
		}
	}

	/**
	 * Returns the application's additions to the allow-list, as configured.
	 * @return class names and package prefixes
	 */
	public List<String> allowedTypes() {
		return this.allowedTypes;
	}

	/** Kept apart so that Spring Security classes are loaded only when present. */
	private static final class SecurityModules {

		static List<JacksonModule> modules(ClassLoader loader, BasicPolymorphicTypeValidator.Builder validator) {
			return org.springframework.security.jackson.SecurityJacksonModules.getModules(loader, validator);
		}

	}

}
