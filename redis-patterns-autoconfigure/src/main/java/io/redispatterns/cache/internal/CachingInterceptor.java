package io.redispatterns.cache.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.redispatterns.cache.CacheInvalidate;
import io.redispatterns.cache.CacheSettings;
import io.redispatterns.cache.CachedWithLock;
import io.redispatterns.core.AnnotationValues;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Runs {@link CachedWithLock} and {@link CacheInvalidate} methods through the cache template.
 */
final class CachingInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(CachingInterceptor.class);

	private static final boolean TRANSACTIONS_PRESENT = ClassUtils.isPresent(
			"org.springframework.transaction.support.TransactionSynchronizationManager",
			CachingInterceptor.class.getClassLoader());

	private final Supplier<RedisCacheTemplate> template;

	private final AnnotationValues values;

	private final Map<Method, Operations> operations = new ConcurrentHashMap<>();

	CachingInterceptor(Supplier<RedisCacheTemplate> template, @Nullable BeanFactory beanFactory) {
		this.template = template;
		this.values = AnnotationValues.of(beanFactory);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : invocation.getMethod().getDeclaringClass();
		Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
		Operations ops = operations(method);
		// operations(..) merges the settings whenever there is a cached operation
		Object result = (ops.cached() != null)
				? cached(ops.cached(), Objects.requireNonNull(ops.settings()), invocation, method, target)
				: invocation.proceed();
		if (ops.invalidate() != null) {
			invalidate(ops.invalidate(), method, invocation.getArguments(), target, result);
		}
		return result;
	}

	/**
	 * Returns the parsed annotations of a method with its cache settings merged from the
	 * annotation and the configuration, computed once (at start-up, by the post-processor's
	 * validation).
	 * @throws IllegalStateException when an attribute is malformed
	 * @throws InvalidRedisPatternsPropertyException when a duration attribute is not a duration, or
	 * when the annotation and the configured
	 * settings of its cache do not fit together
	 */
	Operations operations(Method method) {
		Operations ops = this.operations.get(method);
		if (ops == null) {
			ops = parse(method, this.values);
			CachedOperation cached = ops.cached();
			if (cached != null) {
				RedisCacheTemplate template = this.template.get();
				ops = new Operations(cached, ops.invalidate(),
						merge(cached, template.settings(cached.cache()), template.isConfigured(cached.cache()), method));
				String unreadable = template.runtime().codec().unreadableProblem(cached.returnType());
				if (unreadable != null) {
					throw new IllegalStateException("@CachedWithLock on " + method.toGenericString() + ": " + unreadable);
				}
			}
			Operations raced = this.operations.putIfAbsent(method, ops);
			if (raced != null) {
				ops = raced;
			}
		}
		return ops;
	}

	/**
	 * Applies the annotation's {@code ttl}, {@code staleWhileRevalidate} and {@code waitFor} to
	 * the configured settings of its cache.
	 */
	static CacheSettings merge(CachedOperation op, CacheSettings configured, boolean cacheConfigured, Method method) {
		String where = "@CachedWithLock on " + method.toGenericString();
		Duration ttl = (op.ttl() != null) ? op.ttl() : configured.ttl();
		Duration swr = (op.staleWhileRevalidate() != null) ? op.staleWhileRevalidate() : configured.staleWhileRevalidate();
		Duration lockWait = (op.lockWait() != null) ? op.lockWait() : configured.lockWait();
		String properties = cacheConfigured ? "redis-patterns.cache.caches." + op.cache() + "." : "redis-patterns.cache.";
		if (swr.compareTo(ttl) > 0) {
			if (op.ttl() != null) {
				throw new InvalidRedisPatternsPropertyException(properties + "stale-while-revalidate", swr,
						"a duration not longer than ttl = " + op.ttl() + " of " + where
								+ " (or set staleWhileRevalidate on the annotation)");
			}
			throw new InvalidRedisPatternsPropertyException(properties + "ttl", ttl,
					"a duration not shorter than staleWhileRevalidate = " + swr + " of " + where
							+ " (or set ttl on the annotation)");
		}
		try {
			return new CacheSettings(ttl, configured.ttlJitter(), swr, configured.cacheNulls(),
					configured.earlyRefreshBeta(), lockWait, configured.lockLease(), configured.onLockTimeout());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(where + ": " + ex.getMessage(), ex);
		}
	}

	private @Nullable Object cached(CachedOperation op, CacheSettings settings, MethodInvocation invocation, Method method,
			@Nullable Object target) throws Throwable {
		RedisCacheTemplate template = this.template.get();
		Object[] args = invocation.getArguments();
		EvaluationContext context = context(method, args, target, null);
		String key = (op.key() != null) ? keyOf(template, op.key().getValue(context)) : defaultKey(template, args);
		List<String> tags = new ArrayList<>(op.tags().size());
		for (Expression tag : op.tags()) {
			tags.add(String.valueOf(tag.getValue(context)));
		}
		DistributedLoader.Loader<@Nullable Object> refresh = (invocation instanceof ProxyMethodInvocation proxy)
				? proxy.invocableClone()::proceed : invocation::proceed;
		try {
			return template.getOrLoad(op.cache(), settings, key, op.returnType(), tags, invocation::proceed, refresh);
		}
		catch (DistributedLoader.LoaderFailedException ex) {
			throw ex.getCause();
		}
		catch (CacheEntryCodec.UnreadableTypeException ex) {
			throw new IllegalStateException("@CachedWithLock on " + method.toGenericString() + ": " + ex.getMessage(),
					ex);
		}
	}

	private void invalidate(InvalidateOperation op, Method method, Object[] args, @Nullable Object target,
			@Nullable Object result) {
		RedisCacheTemplate template = this.template.get();
		EvaluationContext context = context(method, args, target, result);
		String key = (op.key() != null) ? keyOf(template, op.key().getValue(context)) : null;
		List<String> tags = new ArrayList<>();
		for (Expression tag : op.tags()) {
			tags.add(String.valueOf(tag.getValue(context)));
		}
		String pattern = (op.keyPattern() != null) ? String.valueOf(op.keyPattern().getValue(context)) : null;
		if (key == null && tags.isEmpty() && pattern == null && !op.allEntries()) {
			key = defaultKey(template, args);
		}
		String evictKey = key;
		Runnable work = () -> {
			if (op.allEntries()) {
				template.clear(op.cache());
			}
			if (evictKey != null) {
				template.evict(op.cache(), evictKey);
			}
			if (!tags.isEmpty()) {
				template.evictTags(op.cache(), tags);
			}
			if (pattern != null) {
				template.evictPattern(op.cache(), pattern);
			}
		};
		work.run();
		if (TRANSACTIONS_PRESENT) {
			AfterCommit.register(work);
		}
	}

	private EvaluationContext context(Method method, Object[] args, @Nullable Object target, @Nullable Object result) {
		EvaluationContext context = this.values.context(new ExpressionRoot(method, args, target), method, args);
		context.setVariable("result", result);
		return context;
	}

	/**
	 * The key of a call without a {@code key} attribute: its one argument, or its arguments joined
	 * with commas, each in its stable string form (a type without one is refused, see
	 * {@link CacheKeyConverter}).
	 */
	static String defaultKey(RedisCacheTemplate template, Object[] args) {
		if (args.length == 1) {
			return keyOf(template, args[0]);
		}
		StringBuilder key = new StringBuilder();
		for (int i = 0; i < args.length; i++) {
			if (i > 0) {
				key.append(',');
			}
			key.append(keyOf(template, args[i]));
		}
		return key.toString();
	}

	private static String keyOf(RedisCacheTemplate template, @Nullable Object key) {
		return (key != null) ? template.id(key) : "null";
	}

	/**
	 * Reads and validates the annotations of a method.
	 * @throws IllegalStateException when an attribute is malformed
	 * @throws InvalidRedisPatternsPropertyException when a duration attribute is not a duration
	 */
	static Operations parse(Method method, AnnotationValues values) {
		CachedWithLock cached = AnnotatedElementUtils.findMergedAnnotation(method, CachedWithLock.class);
		CacheInvalidate invalidate = AnnotatedElementUtils.findMergedAnnotation(method, CacheInvalidate.class);
		CachedOperation cachedOp = null;
		if (cached != null) {
			String where = "@CachedWithLock on " + method.toGenericString();
			Duration ttl = values.duration(cached.ttl(), "ttl", where);
			Duration swr = values.duration(cached.staleWhileRevalidate(), "staleWhileRevalidate", where);
			if (ttl != null && swr != null && swr.compareTo(ttl) > 0) {
				throw new IllegalStateException(where + ": staleWhileRevalidate (" + swr + ") is longer than ttl (" + ttl + ")");
			}
			if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
				throw new IllegalStateException(where + ": ttl must be positive, was " + ttl);
			}
			Type returnType = method.getGenericReturnType();
			if (returnType == void.class) {
				throw new IllegalStateException(where + ": the method returns nothing to cache");
			}
			cachedOp = new CachedOperation(requireCache(cached.cache(), where), expression(cached.key(), values),
					expressions(cached.tags(), values), ttl, swr, values.duration(cached.waitFor(), "waitFor", where),
					ClassUtils.resolvePrimitiveIfNecessary(method.getReturnType()) == method.getReturnType() ? returnType
							: ClassUtils.resolvePrimitiveIfNecessary(method.getReturnType()));
		}
		InvalidateOperation invalidateOp = null;
		if (invalidate != null) {
			String where = "@CacheInvalidate on " + method.toGenericString();
			invalidateOp = new InvalidateOperation(requireCache(invalidate.cache(), where), expression(invalidate.key(), values),
					expressions(invalidate.tags(), values), expression(invalidate.keyPattern(), values), invalidate.allEntries());
		}
		return new Operations(cachedOp, invalidateOp, null);
	}

	static Set<String> cacheNames(Method method) {
		Set<String> names = new LinkedHashSet<>();
		CachedWithLock cached = AnnotatedElementUtils.findMergedAnnotation(method, CachedWithLock.class);
		CacheInvalidate invalidate = AnnotatedElementUtils.findMergedAnnotation(method, CacheInvalidate.class);
		if (cached != null) {
			names.add(cached.cache());
		}
		if (invalidate != null) {
			names.add(invalidate.cache());
		}
		return names;
	}

	private static String requireCache(String cache, String where) {
		if (!StringUtils.hasText(cache)) {
			throw new IllegalStateException(where + ": cache must not be empty");
		}
		return cache;
	}

	private static @Nullable Expression expression(String text, AnnotationValues values) {
		return StringUtils.hasText(text) ? values.expression(text) : null;
	}

	private static List<Expression> expressions(String[] texts, AnnotationValues values) {
		List<Expression> parsed = new ArrayList<>(texts.length);
		for (String text : texts) {
			parsed.add(values.expression(text));
		}
		return parsed;
	}

	/**
	 * The annotations of one method.
	 * @param cached the {@code @CachedWithLock} operation
	 * @param invalidate the {@code @CacheInvalidate} operation
	 * @param settings the merged settings of {@code cached}; set whenever {@code cached} is, once
	 * merged
	 */
	record Operations(@Nullable CachedOperation cached, @Nullable InvalidateOperation invalidate,
			@Nullable CacheSettings settings) {
	}

	record CachedOperation(String cache, @Nullable Expression key, List<Expression> tags, @Nullable Duration ttl,
			@Nullable Duration staleWhileRevalidate, @Nullable Duration lockWait, Type returnType) {
	}

	record InvalidateOperation(String cache, @Nullable Expression key, List<Expression> tags,
			@Nullable Expression keyPattern, boolean allEntries) {
	}

	/**
	 * Root object of the expressions: {@code #root.method}, {@code #root.args}, {@code #root.target}.
	 * @param method the method
	 * @param args the arguments
	 * @param target the target object
	 */
	record ExpressionRoot(Method method, Object[] args, @Nullable Object target) {

		public String getMethodName() {
			return this.method.getName();
		}

		public Object[] getArgs() {
			return this.args;
		}

	}

	/** Isolates the spring-tx dependency. */
	private static final class AfterCommit {

		static void register(Runnable work) {
			if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
				org.springframework.transaction.support.TransactionSynchronizationManager
					.registerSynchronization(new org.springframework.transaction.support.TransactionSynchronization() {
						@Override
						public void afterCommit() {
							try {
								work.run();
							}
							catch (RuntimeException ex) {
								logger.warn("Cache invalidation after commit failed", ex);
							}
						}
					});
			}
		}

	}

}
