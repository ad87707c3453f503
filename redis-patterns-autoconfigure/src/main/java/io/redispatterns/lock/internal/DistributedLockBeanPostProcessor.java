package io.redispatterns.lock.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.redispatterns.core.AnnotationValues;
import io.redispatterns.lock.DistributedLock;
import io.redispatterns.lock.LockMetrics;
import io.redispatterns.lock.LockTemplate;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Proxies beans with {@link DistributedLock @DistributedLock} methods so that each call runs under
 * its lock. Registered by the auto-configuration; the {@link LockTemplate} bean is looked up on
 * first use, so this post-processor does not initialize it early. The lock advice runs before
 * (outside) any other advice of the bean, such as a transaction: the lock is held for the whole
 * transaction.
 */
public class DistributedLockBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor
		implements SmartInitializingSingleton {

	private final Set<String> logicalNames = ConcurrentHashMap.newKeySet();

	private @org.jspecify.annotations.Nullable BeanFactory beanFactory;

	/**
	 * Creates the post-processor.
	 */
	public DistributedLockBeanPostProcessor() {
		setBeforeExistingAdvisors(true);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		this.beanFactory = beanFactory;
		this.advisor = new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(DistributedLock.class),
				new DistributedLockInterceptor(beanFactory));
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		BeanFactory factory = this.beanFactory;
		if (factory != null) {
			Class<?> targetClass = AopUtils.getTargetClass(bean);
			ReflectionUtils.doWithMethods(targetClass, (method) -> {
				DistributedLock annotation = AnnotatedElementUtils.findMergedAnnotation(method, DistributedLock.class);
				if (annotation != null) {
					this.logicalNames.add(DistributedLockInterceptor.logicalName(AnnotationValues.of(factory), annotation,
							method, targetClass));
				}
			}, ReflectionUtils.USER_DECLARED_METHODS);
		}
		return super.postProcessAfterInitialization(bean, beanName);
	}

	/** Registers the meters of every lock an annotated method declares, at zero, once all beans exist. */
	@Override
	public void afterSingletonsInstantiated() {
		BeanFactory factory = this.beanFactory;
		if (factory != null) {
			factory.getBeanProvider(LockMetrics.class).ifAvailable((metrics) -> this.logicalNames.forEach(metrics::register));
		}
	}

}
