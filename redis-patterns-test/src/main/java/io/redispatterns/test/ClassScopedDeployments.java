package io.redispatterns.test;

import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * The deployments of {@code @WithRedis(shared = false)} test classes, keyed by the class that declares the
 * annotation, so that the JUnit extension and the Spring context customizer use the same one. The
 * extension closes it after the class.
 */
final class ClassScopedDeployments {

	private static final Map<Class<?>, RedisDeployment> DEPLOYMENTS = new ConcurrentHashMap<>();

	private ClassScopedDeployments() {
	}

	static RedisDeployment obtain(Class<?> declaringClass, RedisTopology topology, boolean shared) {
		if (shared) {
			return EmbeddedRedis.shared(topology);
		}
		return DEPLOYMENTS.computeIfAbsent(declaringClass, (key) -> EmbeddedRedis.start(topology));
	}

	/**
	 * The test class, or the nearest class enclosing a {@code @Nested} test class, that carries
	 * {@link WithRedis} (directly, as a meta-annotation or on a superclass).
	 */
	static @Nullable Class<?> declaringClass(@Nullable Class<?> testClass) {
		for (Class<?> type = testClass; type != null; type = enclosing(type)) {
			if (AnnotatedElementUtils.hasAnnotation(type, WithRedis.class)) {
				return type;
			}
		}
		return null;
	}

	static WithRedis annotation(Class<?> declaringClass) {
		WithRedis withRedis = AnnotatedElementUtils.findMergedAnnotation(declaringClass, WithRedis.class);
		if (withRedis == null) {
			throw new IllegalStateException(declaringClass.getName() + " is not annotated with @WithRedis");
		}
		return withRedis;
	}

	private static @Nullable Class<?> enclosing(Class<?> type) {
		return (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) ? type.getEnclosingClass() : null;
	}

	static void release(Class<?> declaringClass) {
		RedisDeployment deployment = DEPLOYMENTS.remove(declaringClass);
		if (deployment != null) {
			deployment.close();
		}
	}

}
