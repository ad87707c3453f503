package io.redispatterns.core;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringValueResolver;

/**
 * Finds the methods of each bean that carry one annotation (merged, so meta-annotations count) and hands each one
 * to {@link #register}, with the method to invoke on the bean (its proxy's, for a proxied bean). Classes without
 * such methods are remembered so that prototypes are introspected once. The listener containers, job workers and
 * write-behind flushers are each one subclass of it.
 * @param <A> the annotation
 */
public abstract class AnnotatedMethodBeanPostProcessor<A extends Annotation>
		implements BeanPostProcessor, BeanFactoryAware {

	private final Class<A> annotationType;

	private final Set<Class<?>> withoutAnnotatedMethods = ConcurrentHashMap.newKeySet();

	private StringValueResolver resolver = (value) -> value;

	/**
	 * Creates the post-processor.
	 * @param annotationType the annotation to look for
	 */
	protected AnnotatedMethodBeanPostProcessor(Class<A> annotationType) {
		this.annotationType = annotationType;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableBeanFactory configurable) {
			this.resolver = new EmbeddedValueResolver(configurable);
		}
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.withoutAnnotatedMethods.contains(targetClass)) {
			return bean;
		}
		Map<Method, A> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<A>) (method) -> AnnotatedElementUtils.findMergedAnnotation(method,
						this.annotationType));
		if (methods.isEmpty()) {
			this.withoutAnnotatedMethods.add(targetClass);
			return bean;
		}
		methods.forEach((method, annotation) -> register(bean,
				AopUtils.selectInvocableMethod(method, bean.getClass()), annotation));
		return bean;
	}

	/**
	 * Called for each annotated method of a bean.
	 * @param bean the bean
	 * @param method the method to invoke on the bean
	 * @param annotation the method's annotation
	 */
	protected abstract void register(Object bean, Method method, A annotation);

	/**
	 * Resolves placeholders ({@code ${...}}) and SpEL ({@code #{...}}) in an annotation attribute.
	 * @param value the attribute's value
	 * @return the resolved value, or {@code null} when it resolved to nothing
	 */
	protected @Nullable String resolve(String value) {
		return this.resolver.resolveStringValue(value);
	}

}
