package io.redispatterns.stream.internal;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.stream.RedisStreamListener;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringValueResolver;

/**
 * Internal: finds {@link RedisStreamListener @RedisStreamListener} methods on beans and registers one listener
 * container per method with the {@link StreamListenerRegistry}.
 */
public final class RedisStreamListenerBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware {

	private final ObjectProvider<StreamListenerFactory> factory;

	private final Set<Class<?>> withoutListeners = ConcurrentHashMap.newKeySet();

	private StringValueResolver resolver = (value) -> value;

	public RedisStreamListenerBeanPostProcessor(ObjectProvider<StreamListenerFactory> factory) {
		this.factory = factory;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableBeanFactory configurable) {
			this.resolver = new EmbeddedValueResolver(configurable);
		}
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.withoutListeners.contains(targetClass)) {
			return bean;
		}
		Map<Method, RedisStreamListener> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<RedisStreamListener>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, RedisStreamListener.class));
		if (methods.isEmpty()) {
			this.withoutListeners.add(targetClass);
			return bean;
		}
		StreamListenerFactory listeners = this.factory.getObject();
		methods.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			listeners.register(annotation, new StreamHandlerMethod(bean, invocable), this.resolver::resolveStringValue);
		});
		return bean;
	}

	/** Creates and registers containers; implemented by the auto-configuration. */
	public interface StreamListenerFactory {

		void register(RedisStreamListener annotation, StreamHandlerMethod handler,
				java.util.function.Function<String, String> resolver);

	}


}
