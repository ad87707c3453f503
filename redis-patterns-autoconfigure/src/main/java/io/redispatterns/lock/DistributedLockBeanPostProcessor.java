package io.redispatterns.lock;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;

/**
 * Proxies beans with {@link DistributedLock @DistributedLock} methods so that each call runs under
 * its lock. Registered by the auto-configuration; the {@link LockTemplate} bean is looked up on
 * first use, so this post-processor does not initialize it early. The lock advice runs before
 * (outside) any other advice of the bean, such as a transaction: the lock is held for the whole
 * transaction.
 */
public class DistributedLockBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	/**
	 * Creates the post-processor.
	 */
	public DistributedLockBeanPostProcessor() {
		setBeforeExistingAdvisors(true);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		this.advisor = new DefaultPointcutAdvisor(AnnotationMatchingPointcut.forMethodAnnotation(DistributedLock.class),
				new DistributedLockInterceptor(beanFactory));
	}

}
