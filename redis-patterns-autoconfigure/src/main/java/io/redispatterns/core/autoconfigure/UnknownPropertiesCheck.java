package io.redispatterns.core.autoconfigure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Finds {@code redis-patterns.*} properties that nothing reads: every {@code @ConfigurationProperties} class
 * of the library is bound once, recording which names were bound and which names each level accepts;
 * a configured name that was neither bound nor documented is unknown, and the accepted name closest to
 * it (by edit distance, at the first level where it goes astray) is suggested.
 */
final class UnknownPropertiesCheck {

	private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(KnownPropertyNames.ROOT);

	private UnknownPropertiesCheck() {
	}

	/** An unknown property, its value and the nearest valid name. */
	record Unknown(String name, Object value, @Nullable String suggestion) {
	}

	static List<Unknown> find(Environment environment, @Nullable ClassLoader classLoader) {
		KnownPropertyNames known = KnownPropertyNames.of(classLoader);
		Recorder recorder = new Recorder();
		Binder binder = Binder.get(environment);
		for (Map.Entry<String, String> group : known.groups().entrySet()) {
			recorder.attempted(ConfigurationPropertyName.of(group.getKey()));
			try {
				binder.bind(group.getKey(), Bindable.of(ClassUtils.resolveClassName(group.getValue(), classLoader)), recorder);
			}
			catch (RuntimeException ex) {
				// an invalid value: the application's own binding of this class reports it
			}
		}
		for (String name : known.documented()) {
			recorder.attempted(ConfigurationPropertyName.of(name));
		}
		Map<String, Unknown> unknown = new LinkedHashMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			iterable.stream().filter(ROOT::isAncestorOf).forEach((name) -> {
				String text = name.toString();
				// a name under a renamed group is known when its new name is (its value was copied there)
				String renamed = DeprecatedPropertyNames.renamed(text);
				ConfigurationPropertyName effective = (renamed != null) ? ConfigurationPropertyName.of(renamed) : name;
				if (!known.documented().contains(text) && !known.documented().contains(effective.toString())
						&& !recorder.isBound(effective) && !unknown.containsKey(text)) {
					ConfigurationProperty property = source.getConfigurationProperty(name);
					Object value = (property != null) ? property.getValue() : "";
					unknown.put(text, new Unknown(text, value, recorder.suggest(effective)));
				}
			});
		}
		return new ArrayList<>(unknown.values());
	}

	/** Records what a binding touched. */
	private static final class Recorder extends AbstractBindHandler {

		private final Set<ConfigurationPropertyName> bound = new HashSet<>();

		private final Map<ConfigurationPropertyName, Set<String>> children = new LinkedHashMap<>();

		@Override
		public <T> @Nullable Bindable<T> onStart(ConfigurationPropertyName name, Bindable<T> target, BindContext context) {
			attempted(name);
			return super.onStart(name, target, context);
		}

		@Override
		public @Nullable Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
				Object result) {
			this.bound.add(name);
			return super.onSuccess(name, target, context, result);
		}

		void attempted(ConfigurationPropertyName name) {
			for (ConfigurationPropertyName current = name; !current.isEmpty() && !current.equals(ROOT); current = current.getParent()) {
				this.children.computeIfAbsent(current.getParent(), (parent) -> new java.util.LinkedHashSet<>())
					.add(current.getLastElement(ConfigurationPropertyName.Form.DASHED));
			}
		}

		boolean isBound(ConfigurationPropertyName name) {
			if (this.bound.contains(name)) {
				return true;
			}
			// an element of a list given by index whose list was bound as a whole (a.b[0] after a.b=x,y)
			return name.isLastElementIndexed() && this.bound.contains(name.getParent());
		}

		@Nullable String suggest(ConfigurationPropertyName name) {
			for (int level = name.getNumberOfElements() - 1; level >= 1; level--) {
				ConfigurationPropertyName parent = name.chop(level);
				Set<String> accepted = this.children.get(parent);
				if (accepted == null || accepted.isEmpty()) {
					continue;
				}
				String wrong = name.getElement(level, ConfigurationPropertyName.Form.DASHED);
				String nearest = nearest(wrong, accepted);
				if (nearest == null) {
					return null;
				}
				StringBuilder suggestion = new StringBuilder(parent.toString()).append('.').append(nearest);
				for (int rest = level + 1; rest < name.getNumberOfElements(); rest++) {
					String element = name.getElement(rest, ConfigurationPropertyName.Form.ORIGINAL);
					suggestion.append(name.isNumericIndex(rest) ? "[" + element + "]" : "." + element);
				}
				return suggestion.toString();
			}
			return null;
		}

		private static @Nullable String nearest(String wrong, Set<String> accepted) {
			String best = null;
			int bestDistance = Integer.MAX_VALUE;
			for (String candidate : accepted) {
				int distance = EditDistance.between(wrong, candidate);
				if (distance < bestDistance) {
					best = candidate;
					bestDistance = distance;
				}
			}
			return (best != null && bestDistance <= Math.max(2, wrong.length() / 3)) ? best : null;
		}

	}

}
