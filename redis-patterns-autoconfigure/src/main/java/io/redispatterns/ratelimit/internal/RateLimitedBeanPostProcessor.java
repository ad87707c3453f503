package io.redispatterns.ratelimit.internal;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitExceededException;
import io.redispatterns.ratelimit.RateLimited;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Controller;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Proxies Spring beans whose methods or classes carry {@link RateLimited}, so that each call is
 * decided first; a refusal throws {@link RateLimitExceededException}. Uses Spring AOP only (no
 * AspectJ weaving). Controllers are left to the MVC interceptor when it is registered, so a
 * handler is never charged twice. Registered by the auto-configuration.
 */
public class RateLimitedBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	/** Bean name of the MVC interceptor; when present, controllers are not proxied. */
	public static final String HANDLER_INTERCEPTOR_BEAN_NAME = "redisPatternsRateLimitedHandlerInterceptor";

	private static final boolean webPresent = ClassUtils.isPresent(
			"org.springframework.web.context.request.RequestContextHolder", RateLimitedBeanPostProcessor.class.getClassLoader())
			&& ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest",
					RateLimitedBeanPostProcessor.class.getClassLoader());

	/** Looks up the shared support on first use. */
	private final transient ObjectProvider<RateLimitAnnotationSupport> support;

	/**
	 * Creates the post-processor.
	 * @param support the shared support, looked up on first use
	 */
	public RateLimitedBeanPostProcessor(ObjectProvider<RateLimitAnnotationSupport> support) {
		this.support = support;
		setBeforeExistingAdvisors(true);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		ComposablePointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(RateLimited.class, true))
			.union(new AnnotationMatchingPointcut(RateLimited.List.class, true))
			.union(new AnnotationMatchingPointcut(null, RateLimited.class, true))
			.union(new AnnotationMatchingPointcut(null, RateLimited.List.class, true))
			.intersection((Class<?> type) -> !(AnnotatedElementUtils.hasAnnotation(type, Controller.class)
					&& beanFactory.containsBean(HANDLER_INTERCEPTOR_BEAN_NAME)));
		this.advisor = new DefaultPointcutAdvisor(pointcut, new Interceptor(this.support));
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Object result = super.postProcessAfterInitialization(bean, beanName);
		Class<?> targetClass = AopUtils.getTargetClass(result);
		if (isEligible(targetClass)) {
			this.support.getObject().validate(ClassUtils.getUserClass(targetClass));
		}
		return result;
	}

	private static final class Interceptor implements MethodInterceptor {

		private final ObjectProvider<RateLimitAnnotationSupport> support;

		Interceptor(ObjectProvider<RateLimitAnnotationSupport> support) {
			this.support = support;
		}

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			Object target = invocation.getThis();
			Class<?> targetClass = (target != null) ? ClassUtils.getUserClass(AopUtils.getTargetClass(target))
					: invocation.getMethod().getDeclaringClass();
			Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
			RateLimitAnnotationSupport support = this.support.getObject();
			List<RateLimitAnnotationSupport.Bound> limits = support.limitsFor(method, targetClass);
			if (limits.isEmpty()) {
				return invocation.proceed();
			}
			HttpServletRequest request = null;
			HttpServletResponse response = null;
			if (webPresent) {
				RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
				if (attributes instanceof ServletRequestAttributes servlet) {
					request = servlet.getRequest();
					response = servlet.getResponse();
				}
			}
			RateLimitDecision decision = support.apply(limits, request, response, method, invocation.getArguments(),
					Map.of());
			RateLimitAnnotationSupport.enforce(decision);
			return invocation.proceed();
		}

	}

}
