package io.redispatterns.core.autoconfigure;

import java.util.List;

import io.redispatterns.core.UnknownRedisPatternsPropertyException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Fails start-up on a {@code redis-patterns.*} property that nothing reads — a misspelt name would otherwise
 * be silently ignored and the default used — naming it and the nearest valid name. Runs before any bean is
 * created, whichever patterns are switched on. {@code redis-patterns.fail-on-unknown-properties=false} turns
 * the failure into a warning.
 */
@AutoConfiguration
public final class UnknownPropertiesAutoConfiguration {

	static final String FAIL_PROPERTY = "redis-patterns.fail-on-unknown-properties";

	@Bean
	static BeanFactoryPostProcessor redisPatternsUnknownPropertiesCheck() {
		return new Check();
	}

	private static final class Check implements BeanFactoryPostProcessor, EnvironmentAware, BeanClassLoaderAware {

		private static final Log logger = LogFactory.getLog(UnknownPropertiesAutoConfiguration.class);

		private @Nullable Environment environment;

		private @Nullable ClassLoader classLoader;

		@Override
		public void setEnvironment(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void setBeanClassLoader(ClassLoader classLoader) {
			this.classLoader = classLoader;
		}

		@Override
		public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
			Environment environment = this.environment;
			if (environment == null) {
				return;
			}
			List<UnknownPropertiesCheck.Unknown> unknown = UnknownPropertiesCheck.find(environment, this.classLoader);
			if (unknown.isEmpty()) {
				return;
			}
			if (environment.getProperty(FAIL_PROPERTY, Boolean.class, true)) {
				UnknownPropertiesCheck.Unknown first = unknown.get(0);
				throw new UnknownRedisPatternsPropertyException(first.name(), first.value(), first.suggestion());
			}
			for (UnknownPropertiesCheck.Unknown property : unknown) {
				logger.warn("Unknown property '" + property.name() + "' is ignored"
						+ ((property.suggestion() != null) ? "; did you mean '" + property.suggestion() + "'?" : ""));
			}
		}

	}

}
