package io.redispatterns.core.autoconfigure;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Property names the library renamed before 1.0. Each old name keeps working for one release: it is listed as
 * deprecated (with its replacement) in the configuration metadata, its value applies as if it had been given
 * under the new name, and its use is logged once as a warning.
 * <p>
 * Renames within one properties class are deprecated getters and setters of that class (the setter calls
 * {@link #warn(String, String)}); a renamed group, such as {@code redis-patterns.streams} becoming
 * {@code redis-patterns.stream}, is listed in {@link #RENAMED_GROUPS} and copied to its new name by
 * {@link RenamedPropertyGroups} before anything is bound.
 */
public final class DeprecatedPropertyNames {

	/** Renamed groups: old prefix to new prefix. Every property under the old prefix moves with it. */
	static final Map<String, String> RENAMED_GROUPS = Map.of("redis-patterns.streams", "redis-patterns.stream");

	private static final Log logger = LogFactory.getLog(DeprecatedPropertyNames.class);

	private static final Set<String> warned = ConcurrentHashMap.newKeySet();

	private DeprecatedPropertyNames() {
	}

	/**
	 * Logs, once per name, that a deprecated property name was used.
	 * @param oldName the deprecated name that was set
	 * @param newName the name to use instead
	 */
	public static void warn(String oldName, String newName) {
		if (warned.add(oldName)) {
			logger.warn(message(oldName, newName));
		}
	}

	static String message(String oldName, String newName) {
		return "Property '" + oldName + "' is deprecated and will be removed in the next release; use '" + newName
				+ "' instead";
	}

	/**
	 * The name a property has now when it lives under a renamed group.
	 * @param name a property name in its canonical form, such as {@code redis-patterns.streams.block}
	 * @return the name under the new group, or {@code null} when the name is not under a renamed group
	 */
	static @Nullable String renamed(String name) {
		for (Map.Entry<String, String> group : RENAMED_GROUPS.entrySet()) {
			String old = group.getKey();
			if (name.equals(old)) {
				return group.getValue();
			}
			if (name.startsWith(old) && (name.charAt(old.length()) == '.' || name.charAt(old.length()) == '[')) {
				return group.getValue() + name.substring(old.length());
			}
		}
		return null;
	}

}
