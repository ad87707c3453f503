package io.redispatterns.idempotency.internal;

import java.lang.reflect.Method;
import java.time.Duration;

import io.redispatterns.core.AnnotationValues;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.idempotency.IdempotencySettings;
import io.redispatterns.idempotency.Idempotent;
import io.redispatterns.idempotency.MissingKeyBehavior;
import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * The resolved {@link Idempotent @Idempotent} of one handler method.
 * @param name the scope of its keys
 * @param ttl how long its responses are kept
 * @param missingKey what a request without a key gets
 */
record IdempotentHandler(String name, Duration ttl, MissingKeyBehavior missingKey) {

	/**
	 * Resolves the annotation on a handler method or its class.
	 * @return the handler, or {@code null} when neither is annotated
	 * @throws InvalidRedisPatternsPropertyException when an attribute is not valid
	 */
	static @Nullable IdempotentHandler resolve(Method method, Class<?> beanType, AnnotationValues values,
			IdempotencySettings settings) {
		Idempotent annotation = AnnotatedElementUtils.findMergedAnnotation(method, Idempotent.class);
		if (annotation == null) {
			annotation = AnnotatedElementUtils.findMergedAnnotation(beanType, Idempotent.class);
		}
		if (annotation == null) {
			return null;
		}
		String where = "@Idempotent on " + beanType.getSimpleName() + "." + method.getName();
		String name = values.text(annotation.name());
		if (name == null) {
			name = beanType.getSimpleName() + "." + method.getName();
		}
		Duration ttl = values.duration(annotation.window(), "window", where);
		if (ttl == null) {
			ttl = settings.ttl();
		}
		else if (ttl.isNegative() || ttl.isZero()) {
			throw new InvalidRedisPatternsPropertyException(where + " (window)", annotation.window(), "a positive duration");
		}
		MissingKeyBehavior missingKey = settings.missingKey();
		String missing = values.text(annotation.missingKey());
		if (missing != null) {
			missingKey = MissingKeyBehavior.fromValue(missing);
			if (missingKey == null) {
				throw new InvalidRedisPatternsPropertyException(where + " (missingKey)", missing, "process or reject");
			}
		}
		return new IdempotentHandler(name, ttl, missingKey);
	}

}
