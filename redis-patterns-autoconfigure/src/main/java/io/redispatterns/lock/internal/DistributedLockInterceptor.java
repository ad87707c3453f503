package io.redispatterns.lock.internal;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.core.AnnotationValues;
import io.redispatterns.lock.DistributedLock;
import io.redispatterns.lock.LockCallback;
import io.redispatterns.lock.LockNotAcquiredException;
import io.redispatterns.lock.LockOptions;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.lock.OnBusy;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Runs a {@link DistributedLock @DistributedLock} method under its lock through
 * {@link LockTemplate#executeWithLock(String, LockOptions, LockCallback)}.
 */
final class DistributedLockInterceptor implements MethodInterceptor {

	private final BeanFactory beanFactory;

	private final AnnotationValues values;

	private final Map<Method, Definition> definitions = new ConcurrentHashMap<>();

	private volatile @Nullable LockTemplate template;

	DistributedLockInterceptor(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
		this.values = AnnotationValues.of(beanFactory);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : invocation.getMethod().getDeclaringClass();
		Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
		Definition definition = this.definitions.computeIfAbsent(method, (m) -> define(m, targetClass));
		if (definition == null) {
			return invocation.proceed();
		}
		String lockName = (definition.key != null)
				? evaluate(definition.key, method, invocation.getArguments(), target) : definition.logicalName;
		// NullAway: the method may return null, which LockCallback<T extends @Nullable Object> allows; NullAway
		// sees type arguments only in JSpecify mode, not available on JDK 17 (CONTRIBUTING.md, "Checks")
		@SuppressWarnings("NullAway")
		LockCallback<@Nullable Object> proceed = (lease) -> {
			try {
				return invocation.proceed();
			}
			catch (Throwable ex) {
				throw new InvocationFailure(ex);
			}
		};
		try {
			return template().executeWithLock(lockName, definition.options, proceed);
		}
		catch (InvocationFailure failure) {
			Throwable cause = java.util.Objects.requireNonNull(failure.getCause());
			for (Throwable suppressed : failure.getSuppressed()) {
				cause.addSuppressed(suppressed);
			}
			throw cause;
		}
		catch (LockNotAcquiredException ex) {
			if (definition.onBusy == OnBusy.SKIP) {
				return skipped(invocation.getMethod().getReturnType());
			}
			throw ex;
		}
	}

	private @Nullable Definition define(Method method, Class<?> targetClass) {
		DistributedLock annotation = AnnotatedElementUtils.findMergedAnnotation(method, DistributedLock.class);
		if (annotation == null) {
			return null;
		}
		String where = where(method, targetClass);
		String site = "@DistributedLock on " + where;
		String logicalName = logicalName(this.values, annotation, method, targetClass);
		LockOptions options = LockOptions.defaults().withLogicalName(logicalName);
		Duration lease = this.values.duration(annotation.lease(), "lease", site);
		if (lease != null) {
			options = options.withLease(lease);
		}
		if (annotation.onBusy() == OnBusy.WAIT) {
			options = options.withWaitForever();
		}
		else {
			Duration wait = this.values.duration(annotation.waitFor(), "waitFor", site);
			if (wait != null) {
				options = options.withWait(wait);
			}
		}
		Duration holdAtLeast = this.values.duration(annotation.holdAtLeast(), "holdAtLeast", site);
		if (holdAtLeast != null) {
			options = options.withHoldAtLeast(holdAtLeast);
		}
		Expression key = StringUtils.hasText(annotation.key()) ? this.values.expression(annotation.key()) : null;
		return new Definition(logicalName, key, options, annotation.onBusy());
	}

	/** The logical name of an annotated method's lock: its {@code name}, else {@code Class.method}. */
	static String logicalName(AnnotationValues values, DistributedLock annotation, Method method, Class<?> targetClass) {
		String name = values.text(annotation.name());
		return (name != null) ? name : where(method, targetClass);
	}

	private static String where(Method method, Class<?> targetClass) {
		return ClassUtils.getUserClass(targetClass).getSimpleName() + "." + method.getName();
	}

	private String evaluate(Expression key, Method method, @Nullable Object[] arguments, @Nullable Object target) {
		Object value = this.values.evaluate(key, method, arguments, target);
		if (value == null) {
			throw new IllegalStateException("@DistributedLock key '" + key.getExpressionString() + "' on "
					+ method.getDeclaringClass().getSimpleName() + "." + method.getName() + " evaluated to null");
		}
		return value.toString();
	}

	private LockTemplate template() {
		LockTemplate current = this.template;
		if (current == null) {
			current = this.beanFactory.getBean(LockTemplate.class);
			this.template = current;
		}
		return current;
	}

	private static @Nullable Object skipped(Class<?> returnType) {
		if (returnType == Optional.class) {
			return Optional.empty();
		}
		if (returnType == boolean.class) {
			return false;
		}
		if (returnType == char.class) {
			return '\0';
		}
		if (returnType.isPrimitive() && returnType != void.class) {
			return (returnType == long.class) ? 0L : (returnType == double.class) ? 0.0d
					: (returnType == float.class) ? 0.0f : (returnType == short.class) ? (short) 0
							: (returnType == byte.class) ? (byte) 0 : 0;
		}
		return null;
	}

	private record Definition(String logicalName, @Nullable Expression key, LockOptions options, OnBusy onBusy) {
	}

	/**
	 * Carries a method's own exception through the callback unchanged.
	 */
	private static final class InvocationFailure extends RuntimeException {

		InvocationFailure(Throwable cause) {
			super(null, cause, false, false);
		}

	}

}
