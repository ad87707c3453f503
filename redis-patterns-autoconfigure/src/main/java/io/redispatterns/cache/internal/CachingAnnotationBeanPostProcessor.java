package io.redispatterns.cache.internal;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.redispatterns.cache.CacheInvalidate;
import io.redispatterns.cache.CacheMetrics;
import io.redispatterns.cache.CachedWithLock;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.util.ReflectionUtils;

/**
 * Proxies beans that have {@link CachedWithLock} or {@link CacheInvalidate} methods (no AspectJ
 * needed). At start-up it validates every annotation (durations, SWR not longer than the TTL),
 * with {@code redis-patterns.cache.strict=true} that each named cache is configured, and merges
 * each annotation's {@code ttl}, {@code staleWhileRevalidate} and {@code waitFor} with the
 * configured settings of its cache once, failing when they do not fit together (such as a
 * configured stale-while-revalidate longer than the annotation's TTL).
 */
public final class CachingAnnotationBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor
		implements org.springframework.beans.factory.SmartInitializingSingleton {

	private final java.util.Set<String> annotatedCacheNames = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private final transient Predicate<String> knownCache;

	private final boolean strict;

	private final transient Supplier<RedisCacheTemplate> template;

	private transient @Nullable CachingInterceptor interceptor;

	/**
	 * Creates the post-processor.
	 * @param template supplies the cache template on first use
	 * @param strict whether annotations may name configured caches only
	 * @param knownCache tells whether a cache name is configured
	 */
	public CachingAnnotationBeanPostProcessor(Supplier<RedisCacheTemplate> template, boolean strict,
			Predicate<String> knownCache) {
		this.template = template;
		this.strict = strict;
		this.knownCache = knownCache;
		setBeforeExistingAdvisors(true);
		setProxyTargetClass(true);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		ComposablePointcut pointcut = new ComposablePointcut(
				AnnotationMatchingPointcut.forMethodAnnotation(CachedWithLock.class))
			.union(AnnotationMatchingPointcut.forMethodAnnotation(CacheInvalidate.class));
		this.interceptor = new CachingInterceptor(this.template, beanFactory);
		this.advisor = new DefaultPointcutAdvisor(pointcut, this.interceptor);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (this.advisor != null && isEligible(bean, beanName)) {
			validate(AopUtils.getTargetClass(bean));
		}
		return super.postProcessAfterInitialization(bean, beanName);
	}

	private void validate(Class<?> type) {
		ReflectionUtils.doWithMethods(type, (method) -> check(method));
	}

	private void check(Method method) {
		Set<String> names = CachingInterceptor.cacheNames(method);
		if (names.isEmpty()) {
			return;
		}
		this.annotatedCacheNames.addAll(names);
		if (this.strict) {
			for (String name : names) {
				if (!this.knownCache.test(name)) {
					throw new InvalidRedisPatternsPropertyException("redis-patterns.cache.caches", name,
							"a cache listed under redis-patterns.cache.caches, because redis-patterns.cache.strict=true and "
									+ method.toGenericString() + " names it");
				}
			}
		}
		// parses the annotations and merges their settings with the configured ones, once
		CachingInterceptor interceptor = this.interceptor;
		if (interceptor != null) {
			interceptor.operations(method);
		}
	}

	/** Registers the meters of every cache an annotation names, at zero, once all beans exist. */
	@Override
	public void afterSingletonsInstantiated() {
		if (!this.annotatedCacheNames.isEmpty()) {
			CacheMetrics metrics = this.template.get().runtime().metrics();
			this.annotatedCacheNames.forEach(metrics::register);
		}
	}

}
