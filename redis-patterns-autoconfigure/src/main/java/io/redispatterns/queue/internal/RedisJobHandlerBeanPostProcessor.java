package io.redispatterns.queue.internal;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.queue.RedisJobHandler;

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
 * Internal: finds {@link RedisJobHandler @RedisJobHandler} methods on beans and registers them with the
 * {@link JobWorkerRegistry}.
 */
public final class RedisJobHandlerBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware {

	private final ObjectProvider<JobWorkerRegistry> registry;

	private final ObjectProvider<QueueSettings> settings;

	private final Set<Class<?>> withoutHandlers = ConcurrentHashMap.newKeySet();

	private StringValueResolver resolver = (value) -> value;

	public RedisJobHandlerBeanPostProcessor(ObjectProvider<JobWorkerRegistry> registry,
			ObjectProvider<QueueSettings> settings) {
		this.registry = registry;
		this.settings = settings;
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
		if (this.withoutHandlers.contains(targetClass)) {
			return bean;
		}
		Map<Method, RedisJobHandler> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<RedisJobHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, RedisJobHandler.class));
		if (methods.isEmpty()) {
			this.withoutHandlers.add(targetClass);
			return bean;
		}
		JobWorkerRegistry workers = this.registry.getObject();
		QueueSettings defaults = this.settings.getObject();
		methods.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			JobHandlerMethod handler = new JobHandlerMethod(bean, invocable);
			String queue = resolve(annotation.queue());
			String name = resolve(annotation.name());
			if (queue == null || queue.isBlank() || name == null || name.isBlank()) {
				throw new IllegalStateException("@RedisJobHandler " + handler.description()
						+ " needs a non-blank queue and name");
			}
			if (annotation.concurrency() < 0 || annotation.maxAttempts() < 0) {
				throw new IllegalStateException("@RedisJobHandler " + handler.description()
						+ ": concurrency and maxAttempts must not be negative");
			}
			int concurrency = (annotation.concurrency() > 0) ? annotation.concurrency() : defaults.concurrency();
			int maxAttempts = (annotation.maxAttempts() > 0) ? annotation.maxAttempts() : defaults.maxAttempts();
			workers.register(queue,
					new JobHandlerBinding(name, handler, concurrency, maxAttempts, schedule(annotation, handler)));
		});
		return bean;
	}

	private @org.jspecify.annotations.Nullable RepeatSchedule schedule(RedisJobHandler annotation,
			JobHandlerMethod handler) {
		String cron = resolve(annotation.cron());
		String every = resolve(annotation.every());
		boolean hasCron = cron != null && !cron.isBlank();
		boolean hasEvery = every != null && !every.isBlank();
		if (hasCron && hasEvery) {
			throw new IllegalStateException(
					"@RedisJobHandler " + handler.description() + " sets both cron and every; choose one");
		}
		try {
			// the null checks repeat hasCron and hasEvery for NullAway, which does not follow booleans
			if (hasCron && cron != null) {
				return new RepeatSchedule(org.springframework.scheduling.support.CronExpression.parse(cron), null);
			}
			if (hasEvery && every != null) {
				java.time.Duration interval = org.springframework.boot.convert.DurationStyle.detectAndParse(every);
				if (interval.toMillis() <= 0) {
					throw new IllegalArgumentException("must be positive");
				}
				return new RepeatSchedule(null, interval);
			}
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@RedisJobHandler " + handler.description() + " has an invalid "
					+ (hasCron ? "cron '" + cron : "every '" + every) + "': " + ex.getMessage(), ex);
		}
		return null;
	}

	private @org.jspecify.annotations.Nullable String resolve(String value) {
		return this.resolver.resolveStringValue(value);
	}

}
