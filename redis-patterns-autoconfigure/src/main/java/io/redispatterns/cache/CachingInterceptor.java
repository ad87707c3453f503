package io.redispatterns.cache;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
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

	private static final SpelExpressionParser PARSER = new SpelExpressionParser();

	private final Supplier<RedisCacheTemplate> template;

	private final @Nullable BeanFactory beanFactory;

	private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final Map<Method, Operations> operations = new ConcurrentHashMap<>();

	CachingInterceptor(Supplier<RedisCacheTemplate> template, @Nullable BeanFactory beanFactory) {
		this.template = template;
		this.beanFactory = beanFactory;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : invocation.getMethod().getDeclaringClass();
		Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
		Operations ops = this.operations.computeIfAbsent(method, (m) -> parse(m, this.beanFactory));
		Object result = (ops.cached() != null) ? cached(ops.cached(), invocation, method, target)
				: invocation.proceed();
		if (ops.invalidate() != null) {
			invalidate(ops.invalidate(), method, invocation.getArguments(), target, result);
		}
		return result;
	}

	private @Nullable Object cached(CachedOperation op, MethodInvocation invocation, Method method,
			@Nullable Object target) throws Throwable {
		RedisCacheTemplate template = this.template.get();
		Object[] args = invocation.getArguments();
		MethodBasedEvaluationContext context = context(method, args, target, null);
		String key = (op.key() != null) ? String.valueOf(op.key().getValue(context)) : defaultKey(args);
		List<String> tags = new ArrayList<>(op.tags().size());
		for (Expression tag : op.tags()) {
			tags.add(String.valueOf(tag.getValue(context)));
		}
		CacheSettings settings = template.settings(op.cache());
		if (op.ttl() != null) {
			settings = settings.withTtl(op.ttl());
		}
		if (op.staleWhileRevalidate() != null) {
			settings = settings.withStaleWhileRevalidate(op.staleWhileRevalidate());
		}
		if (op.lockWait() != null) {
			settings = settings.withLockWait(op.lockWait());
		}
		RedisCacheTemplate.Loader<@Nullable Object> refresh = (invocation instanceof ProxyMethodInvocation proxy)
				? proxy.invocableClone()::proceed : invocation::proceed;
		try {
			return template.getOrLoad(op.cache(), settings, key, op.returnType(), tags, invocation::proceed, refresh);
		}
		catch (RedisCacheTemplate.LoaderFailedException ex) {
			throw ex.getCause();
		}
	}

	private void invalidate(InvalidateOperation op, Method method, Object[] args, @Nullable Object target,
			@Nullable Object result) {
		RedisCacheTemplate template = this.template.get();
		MethodBasedEvaluationContext context = context(method, args, target, result);
		String key = (op.key() != null) ? String.valueOf(op.key().getValue(context)) : null;
		List<String> tags = new ArrayList<>();
		for (Expression tag : op.tags()) {
			tags.add(String.valueOf(tag.getValue(context)));
		}
		String pattern = (op.keyPattern() != null) ? String.valueOf(op.keyPattern().getValue(context)) : null;
		if (key == null && tags.isEmpty() && pattern == null && !op.allEntries()) {
			key = defaultKey(args);
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

	private MethodBasedEvaluationContext context(Method method, Object[] args, @Nullable Object target,
			@Nullable Object result) {
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(
				new ExpressionRoot(method, args, target), method, args, this.parameterNames);
		context.setVariable("result", result);
		if (this.beanFactory != null) {
			context.setBeanResolver(new BeanFactoryResolver(this.beanFactory));
		}
		return context;
	}

	static String defaultKey(Object[] args) {
		if (args.length == 1) {
			return String.valueOf(args[0]);
		}
		StringBuilder key = new StringBuilder();
		for (int i = 0; i < args.length; i++) {
			if (i > 0) {
				key.append(',');
			}
			key.append(args[i] instanceof Object[] array ? java.util.Arrays.deepToString(array) : String.valueOf(args[i]));
		}
		return key.toString();
	}

	/**
	 * Reads and validates the annotations of a method.
	 * @throws IllegalStateException when an attribute is malformed
	 */
	static Operations parse(Method method, @Nullable BeanFactory beanFactory) {
		CachedWithLock cached = AnnotatedElementUtils.findMergedAnnotation(method, CachedWithLock.class);
		CacheInvalidate invalidate = AnnotatedElementUtils.findMergedAnnotation(method, CacheInvalidate.class);
		CachedOperation cachedOp = null;
		if (cached != null) {
			String where = "@CachedWithLock on " + method.toGenericString();
			Duration ttl = duration(cached.ttl(), "ttl", where, beanFactory);
			Duration swr = duration(cached.staleWhileRevalidate(), "staleWhileRevalidate", where, beanFactory);
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
			cachedOp = new CachedOperation(requireCache(cached.cache(), where), expression(cached.key()),
					expressions(cached.tags()), ttl, swr, duration(cached.lockWait(), "lockWait", where, beanFactory),
					ClassUtils.resolvePrimitiveIfNecessary(method.getReturnType()) == method.getReturnType() ? returnType
							: ClassUtils.resolvePrimitiveIfNecessary(method.getReturnType()));
		}
		InvalidateOperation invalidateOp = null;
		if (invalidate != null) {
			String where = "@CacheInvalidate on " + method.toGenericString();
			invalidateOp = new InvalidateOperation(requireCache(invalidate.cache(), where), expression(invalidate.key()),
					expressions(invalidate.tags()), expression(invalidate.keyPattern()), invalidate.allEntries());
		}
		return new Operations(cachedOp, invalidateOp);
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

	private static @Nullable Duration duration(String value, String attribute, String where,
			@Nullable BeanFactory beanFactory) {
		if (!StringUtils.hasText(value)) {
			return null;
		}
		String resolved = (beanFactory instanceof ConfigurableBeanFactory configurable)
				? configurable.resolveEmbeddedValue(value) : value;
		if (!StringUtils.hasText(resolved)) {
			return null;
		}
		try {
			return DurationStyle.detectAndParse(resolved.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(where + ": " + attribute + " '" + value + "' is not a duration (such as 10m)", ex);
		}
	}

	private static @Nullable Expression expression(String text) {
		return StringUtils.hasText(text) ? PARSER.parseExpression(text) : null;
	}

	private static List<Expression> expressions(String[] texts) {
		List<Expression> parsed = new ArrayList<>(texts.length);
		for (String text : texts) {
			parsed.add(PARSER.parseExpression(text));
		}
		return parsed;
	}

	record Operations(@Nullable CachedOperation cached, @Nullable InvalidateOperation invalidate) {
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
