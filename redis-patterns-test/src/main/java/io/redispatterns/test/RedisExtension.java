package io.redispatterns.test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * JUnit Jupiter extension behind {@link WithRedis @WithRedis}: obtains the deployment before all tests of
 * the annotated class (the JVM-wide shared one, or a new one that is closed after the class), injects it
 * into fields of type {@link RedisDeployment} (or the subtype matching the topology) and resolves it as a
 * parameter.
 */
public class RedisExtension implements BeforeAllCallback, AfterAllCallback, TestInstancePostProcessor, ParameterResolver {

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		Optional<Class<?>> declaring = declaringClass(context);
		if (declaring.isEmpty()) {
			return;
		}
		RedisDeployment deployment = deployment(context);
		injectFields(context.getRequiredTestClass(), null, deployment);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		Class<?> testClass = context.getRequiredTestClass();
		if (declaringClass(context).filter((declaring) -> declaring == testClass).isPresent()) {
			if (!ClassScopedDeployments.annotation(testClass).shared()) {
				ClassScopedDeployments.release(testClass);
			}
		}
	}

	@Override
	public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
		injectFields(testInstance.getClass(), testInstance, deployment(context));
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		if (!RedisDeployment.class.isAssignableFrom(type)) {
			return false;
		}
		return declaringClass(extensionContext).isPresent();
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		RedisDeployment deployment = deployment(extensionContext);
		Class<?> type = parameterContext.getParameter().getType();
		requireAssignable(type, deployment, parameterContext.getParameter().toString());
		return deployment;
	}

	private static RedisDeployment deployment(ExtensionContext context) {
		Class<?> declaring = declaringClass(context).orElseThrow(() -> new ExtensionConfigurationException(
				"RedisExtension needs @WithRedis on " + context.getRequiredTestClass().getName() + " or an enclosing class"));
		WithRedis withRedis = ClassScopedDeployments.annotation(declaring);
		return ClassScopedDeployments.obtain(declaring, withRedis.topology(), withRedis.shared());
	}

	private static Optional<Class<?>> declaringClass(ExtensionContext context) {
		return Optional.ofNullable(ClassScopedDeployments.declaringClass(context.getTestClass().orElse(null)));
	}

	private static void injectFields(Class<?> testClass, @Nullable Object instance, RedisDeployment deployment) {
		List<Field> fields = ReflectionSupport.findFields(testClass,
				(field) -> RedisDeployment.class.isAssignableFrom(field.getType()) && !Modifier.isFinal(field.getModifiers())
						&& Modifier.isStatic(field.getModifiers()) == (instance == null),
				HierarchyTraversalMode.TOP_DOWN);
		for (Field field : fields) {
			requireAssignable(field.getType(), deployment, field.toString());
			try {
				field.setAccessible(true);
				field.set(instance, deployment);
			}
			catch (IllegalAccessException ex) {
				throw new ExtensionConfigurationException("Cannot inject Redis into " + field, ex);
			}
		}
	}

	private static void requireAssignable(Class<?> type, RedisDeployment deployment, String target) {
		if (!type.isInstance(deployment)) {
			throw new ExtensionConfigurationException(target + " has type " + type.getSimpleName() + " but @WithRedis(topology = "
					+ deployment.topology() + ") provides " + deployment.getClass().getSimpleName());
		}
	}

}
