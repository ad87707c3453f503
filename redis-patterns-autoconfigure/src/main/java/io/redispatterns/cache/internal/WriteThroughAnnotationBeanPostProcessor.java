package io.redispatterns.cache.internal;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.redispatterns.cache.CacheWriteThrough;
import io.redispatterns.cache.WriteThrough;
import io.redispatterns.core.AnnotationValues;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.util.StringUtils;

/**
 * Proxies beans with {@link WriteThrough} methods (no AspectJ needed) and runs each call through
 * {@link CacheWriteThrough}.
 */
public final class WriteThroughAnnotationBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private final transient Supplier<CacheWriteThrough> writeThrough;

	private final transient Supplier<RedisCacheTemplate> template;

	/**
	 * Creates the post-processor.
	 * @param writeThrough supplies the write-through operations on first use
	 * @param template supplies the cache template on first use (for keys of all arguments)
	 */
	public WriteThroughAnnotationBeanPostProcessor(Supplier<CacheWriteThrough> writeThrough,
			Supplier<RedisCacheTemplate> template) {
		this.writeThrough = writeThrough;
		this.template = template;
		setBeforeExistingAdvisors(true);
		setProxyTargetClass(true);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		AnnotationValues values = AnnotationValues.of(beanFactory);
		this.advisor = new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(WriteThrough.class),
				new Interceptor(values));
	}

	private final class Interceptor implements MethodInterceptor {

		private final AnnotationValues values;

		Interceptor(AnnotationValues values) {
			this.values = values;
		}

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			Method method = invocation.getMethod();
			WriteThrough annotation = AnnotatedElementUtils.findMergedAnnotation(method, WriteThrough.class);
			if (annotation == null) {
				return invocation.proceed();
			}
			Object[] args = invocation.getArguments();
			Object key;
			if (StringUtils.hasText(annotation.key())) {
				Expression expression = this.values.expression(annotation.key());
				key = this.values.evaluate(expression, method, args, null);
				if (key == null) {
					throw new IllegalStateException("@WriteThrough key '" + annotation.key() + "' of "
							+ method.toGenericString() + " evaluated to null");
				}
			}
			else {
				key = CachingInterceptor.defaultKey(WriteThroughAnnotationBeanPostProcessor.this.template.get(), args);
			}
			// the method's own exception, checked ones included, reaches the caller unchanged
			AtomicReference<Throwable> thrown = new AtomicReference<>();
			try {
				return WriteThroughAnnotationBeanPostProcessor.this.writeThrough.get()
					.write(this.values.resolve(annotation.cache()), key, () -> {
						try {
							return invocation.proceed();
						}
						catch (Throwable ex) {
							thrown.set(ex);
							throw (ex instanceof Exception exception) ? exception : new IllegalStateException(ex);
						}
					});
			}
			catch (RuntimeException ex) {
				Throwable own = thrown.get();
				throw (own != null) ? own : ex;
			}
		}

	}

}
