package io.redispatterns.writebehind.internal;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.writebehind.WriteBehindFlush;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringValueResolver;

/**
 * Internal: finds {@link WriteBehindFlush @WriteBehindFlush} methods on beans and registers them with the
 * {@link WriteBehindFlushers}. An unusable annotation stops start-up naming the method.
 */
public final class WriteBehindFlushBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware {

	/** Upper bound of maxBatch: a batch is one script reply and one Lua call with that many arguments. */
	public static final int MAX_BATCH_LIMIT = 5000;

	private final ObjectProvider<WriteBehindFlushers> flushers;

	private final Set<Class<?>> withoutFlushMethods = ConcurrentHashMap.newKeySet();

	private StringValueResolver resolver = (value) -> value;

	public WriteBehindFlushBeanPostProcessor(ObjectProvider<WriteBehindFlushers> flushers) {
		this.flushers = flushers;
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
		if (this.withoutFlushMethods.contains(targetClass)) {
			return bean;
		}
		Map<Method, WriteBehindFlush> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<WriteBehindFlush>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, WriteBehindFlush.class));
		if (methods.isEmpty()) {
			this.withoutFlushMethods.add(targetClass);
			return bean;
		}
		WriteBehindFlushers registry = this.flushers.getObject();
		methods.forEach((method, annotation) -> {
			FlushMethod flush = new FlushMethod(bean, AopUtils.selectInvocableMethod(method, bean.getClass()));
			String buffer = resolve(annotation.buffer());
			if (buffer == null || buffer.isBlank()) {
				throw new IllegalStateException("@WriteBehindFlush " + flush.description() + " needs a non-blank buffer");
			}
			if (annotation.maxBatch() < 1 || annotation.maxBatch() > MAX_BATCH_LIMIT) {
				throw new IllegalStateException("@WriteBehindFlush " + flush.description() + " has maxBatch "
						+ annotation.maxBatch() + "; allowed: 1 to " + MAX_BATCH_LIMIT);
			}
			registry.register(new FlushBinding(buffer, flush, annotation.maxBatch(), every(annotation, flush)));
		});
		return bean;
	}

	private Duration every(WriteBehindFlush annotation, FlushMethod flush) {
		String every = resolve(annotation.every());
		try {
			Duration interval = DurationStyle.detectAndParse((every != null) ? every : "");
			if (interval.toMillis() <= 0) {
				throw new IllegalArgumentException("must be positive");
			}
			return interval;
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@WriteBehindFlush " + flush.description() + " has an invalid every '"
					+ every + "': " + ex.getMessage(), ex);
		}
	}

	private @Nullable String resolve(String value) {
		return this.resolver.resolveStringValue(value);
	}

}
