package io.redispatterns.core.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * What the library reads under {@code redis-patterns}: its {@code @ConfigurationProperties} classes (found
 * once per class loader in the {@code io.redispatterns} packages of every jar) and the names documented in
 * the configuration metadata of those jars ({@code META-INF/spring-configuration-metadata.json}), which also
 * lists the switches read only by conditions ({@code redis-patterns.cache.enabled}, ...).
 */
final class KnownPropertyNames {

	static final String ROOT = "redis-patterns";

	private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"(redis-patterns(?:\\.[^\"]*)?)\"");

	private static final Map<ClassLoader, KnownPropertyNames> CACHE = Collections.synchronizedMap(new java.util.WeakHashMap<>());

	private final Map<String, String> groups;

	private final Set<String> documented;

	private KnownPropertyNames(Map<String, String> groups, Set<String> documented) {
		this.groups = groups;
		this.documented = documented;
	}

	/** Top-level {@code @ConfigurationProperties} prefixes and the class bound to each. */
	Map<String, String> groups() {
		return this.groups;
	}

	/** Every name the metadata documents (groups, properties, hints). */
	Set<String> documented() {
		return this.documented;
	}

	static KnownPropertyNames of(@Nullable ClassLoader classLoader) {
		ClassLoader loader = (classLoader != null) ? classLoader : KnownPropertyNames.class.getClassLoader();
		return CACHE.computeIfAbsent(loader, KnownPropertyNames::load);
	}

	static boolean isOurs(String name) {
		return name.equals(ROOT) || name.startsWith(ROOT + ".");
	}

	private static KnownPropertyNames load(ClassLoader loader) {
		return new KnownPropertyNames(scanGroups(loader), readDocumented(loader));
	}

	private static Map<String, String> scanGroups(ClassLoader loader) {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.setResourceLoader(new org.springframework.core.io.DefaultResourceLoader(loader));
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class, false));
		Map<String, String> groups = new ConcurrentHashMap<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents("io.redispatterns")) {
			if (candidate instanceof org.springframework.beans.factory.annotation.AnnotatedBeanDefinition annotated) {
				String prefix = prefix(annotated.getMetadata());
				if (prefix != null && isOurs(prefix) && candidate.getBeanClassName() != null) {
					groups.put(prefix, candidate.getBeanClassName());
				}
			}
		}
		return new LinkedHashMap<>(groups);
	}

	private static @Nullable String prefix(AnnotatedTypeMetadata metadata) {
		MergedAnnotation<ConfigurationProperties> annotation = metadata.getAnnotations().get(ConfigurationProperties.class);
		if (!annotation.isPresent()) {
			return null;
		}
		String prefix = annotation.getString("prefix");
		return prefix.isEmpty() ? annotation.getString("value") : prefix;
	}

	private static Set<String> readDocumented(ClassLoader loader) {
		Set<String> names = new LinkedHashSet<>();
		try {
			Enumeration<URL> resources = loader.getResources("META-INF/spring-configuration-metadata.json");
			while (resources.hasMoreElements()) {
				try (InputStream in = resources.nextElement().openStream()) {
					Matcher matcher = NAME.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
					while (matcher.find()) {
						names.add(matcher.group(1));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read the configuration metadata", ex);
		}
		return names;
	}

}
