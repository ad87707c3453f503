package io.redispatterns.session.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.session.MapSession;

/**
 * The fields of a session's hash: {@code v} (format version), {@code created}, {@code accessed}
 * (epoch milliseconds), {@code maxInactive} (seconds), {@code principal}, {@code ip} and {@code ua}
 * (captured at login) and one {@code attr:<name>} field per attribute holding what
 * {@link SessionAttributeValues} made of its value.
 */
final class SessionHashFormat {

	static final String FORMAT_VERSION = "1";

	static final String VERSION_FIELD = "v";

	static final String CREATED_FIELD = "created";

	static final String ACCESSED_FIELD = "accessed";

	static final String MAX_INACTIVE_FIELD = "maxInactive";

	static final String PRINCIPAL_FIELD = "principal";

	static final String IP_FIELD = "ip";

	static final String USER_AGENT_FIELD = "ua";

	static final String ATTRIBUTE_PREFIX = "attr:";

	private final SessionAttributeValues values;

	SessionHashFormat(SessionAttributeValues values) {
		this.values = values;
	}

	/** A session as read from its hash, with what was stored beside its attributes. */
	record Stored(MapSession session, @Nullable String principal, @Nullable String ip, @Nullable String userAgent,
			List<String> droppedAttributes) {
	}

	String attributeField(String name) {
		return ATTRIBUTE_PREFIX + name;
	}

	String encodeAttribute(String sessionId, String name, Object value) {
		return this.values.encode(sessionId, name, value);
	}

	/**
	 * Decodes a stored hash.
	 * @throws RuntimeException when the hash is not a session this version can read (the caller
	 * logs, counts and deletes it)
	 */
	Stored decode(String id, Map<String, String> hash) {
		String version = hash.get(VERSION_FIELD);
		if (!FORMAT_VERSION.equals(version)) {
			throw new IllegalStateException("unsupported format version '" + version + "'");
		}
		MapSession cached = new MapSession(id);
		cached.setCreationTime(Instant.ofEpochMilli(Long.parseLong(required(hash, CREATED_FIELD))));
		cached.setLastAccessedTime(Instant.ofEpochMilli(Long.parseLong(required(hash, ACCESSED_FIELD))));
		cached.setMaxInactiveInterval(Duration.ofSeconds(Long.parseLong(required(hash, MAX_INACTIVE_FIELD))));
		List<String> dropped = List.of();
		for (Map.Entry<String, String> entry : hash.entrySet()) {
			if (entry.getKey().startsWith(ATTRIBUTE_PREFIX)) {
				String name = entry.getKey().substring(ATTRIBUTE_PREFIX.length());
				SessionAttributeValues.Decoded decoded = this.values.decode(id, name, entry.getValue());
				if (decoded.present()) {
					cached.setAttribute(name, decoded.value());
				}
				else {
					dropped = new ArrayList<>(dropped);
					dropped.add(name);
				}
			}
		}
		return new Stored(cached, hash.get(PRINCIPAL_FIELD), hash.get(IP_FIELD), hash.get(USER_AGENT_FIELD), dropped);
	}

	private static String required(Map<String, String> hash, String field) {
		String value = hash.get(field);
		if (value == null) {
			throw new IllegalStateException("field '" + field + "' is missing");
		}
		return value;
	}

	/** Turns a reply of {@code HGETALL} (byte arrays or strings) into a map of strings. */
	static Map<String, String> toStrings(@Nullable Object reply) {
		if (!(reply instanceof Map<?, ?> map)) {
			return Map.of();
		}
		Map<String, String> strings = new HashMap<>(Math.max(4, map.size() * 2));
		map.forEach((k, v) -> strings.put(string(k), string(v)));
		return strings;
	}

	static String string(@Nullable Object value) {
		return (value instanceof byte[] raw) ? new String(raw, StandardCharsets.UTF_8) : String.valueOf(value);
	}

}
