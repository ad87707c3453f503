package io.redispatterns.test;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/**
 * Spring TestContext hook (registered in {@code META-INF/spring.factories}): for a test class that carries
 * {@link WithRedis @WithRedis} — directly, through a meta-annotation, a superclass or a class enclosing a {@code @Nested} class —
 * registers the deployment's {@code DataRedisConnectionDetails} as a bean.
 */
class WithRedisContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		Class<?> declaringClass = ClassScopedDeployments.declaringClass(testClass);
		if (declaringClass == null) {
			return null;
		}
		return new WithRedisContextCustomizer(declaringClass, ClassScopedDeployments.annotation(declaringClass));
	}

}
