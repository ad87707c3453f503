package io.redispatterns.core.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Copies every property set under a renamed group ({@link DeprecatedPropertyNames#RENAMED_GROUPS}) to its new
 * name, in a property source of the lowest precedence: the value applies, conditions such as
 * {@code redis-patterns.stream.enabled} see it, and a value given under the new name wins. Each old name in
 * use is logged as deprecated. Runs after the configuration files are loaded.
 */
public final class RenamedPropertyGroups implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source that holds the copies. */
	public static final String PROPERTY_SOURCE_NAME = "redisPatternsRenamedProperties";

	private final Log logger;

	/**
	 * Creates the post-processor; Spring Boot passes a log that is replayed once logging is set up.
	 * @param logFactory the deferred log factory
	 */
	public RenamedPropertyGroups(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(RenamedPropertyGroups.class);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		apply(environment);
	}

	/**
	 * Adds (or replaces) the property source with the copies under the new names.
	 * @param environment the environment to read and extend
	 */
	public void apply(ConfigurableEnvironment environment) {
		environment.getPropertySources().remove(PROPERTY_SOURCE_NAME);
		Map<String, Object> copies = new LinkedHashMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			// sources come highest precedence first: the first value seen for a name is the one in effect
			iterable.stream().forEach((name) -> copy(source, name, copies));
		}
		if (!copies.isEmpty()) {
			environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, copies));
		}
	}

	private void copy(ConfigurationPropertySource source, ConfigurationPropertyName name, Map<String, Object> copies) {
		String oldName = name.toString();
		String newName = DeprecatedPropertyNames.renamed(oldName);
		if (newName == null || copies.containsKey(newName)) {
			return;
		}
		ConfigurationProperty property = source.getConfigurationProperty(name);
		if (property == null) {
			return;
		}
		copies.put(newName, property.getValue());
		this.logger.warn(DeprecatedPropertyNames.message(oldName, newName));
	}

}
