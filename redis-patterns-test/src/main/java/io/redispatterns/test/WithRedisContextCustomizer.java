package io.redispatterns.test;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Registers the {@code DataRedisConnectionDetails} of a {@link WithRedis} deployment as a bean. Equal
 * customizers (same topology and sharing, and for an unshared deployment the same test class) let Spring
 * reuse a cached context.
 */
final class WithRedisContextCustomizer implements ContextCustomizer {

	static final String BEAN_NAME = "redisPatternsTestConnectionDetails";

	private final RedisTopology topology;

	private final boolean shared;

	private final Class<?> declaringClass;

	WithRedisContextCustomizer(Class<?> declaringClass, WithRedis withRedis) {
		this.topology = withRedis.topology();
		this.shared = withRedis.shared();
		this.declaringClass = declaringClass;
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		RedisDeployment deployment = ClassScopedDeployments.obtain(this.declaringClass, this.topology, this.shared);
		DataRedisConnectionDetails details = deployment.connectionDetails();
		if (context.getBeanFactory() instanceof BeanDefinitionRegistry registry) {
			RootBeanDefinition definition = new RootBeanDefinition(DataRedisConnectionDetails.class, () -> details);
			registry.registerBeanDefinition(BEAN_NAME, definition);
		}
		else {
			context.getBeanFactory().registerSingleton(BEAN_NAME, details);
		}
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof WithRedisContextCustomizer that)) {
			return false;
		}
		return this.topology == that.topology && this.shared == that.shared
				&& (this.shared || this.declaringClass == that.declaringClass);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.topology, this.shared, this.shared ? null : this.declaringClass);
	}

}
