package io.redispatterns.ratelimit.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.ClientAddressResolver;
import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.core.RedisCircuitBreaker;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.ratelimit.RateLimitMetrics;
import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.ratelimit.internal.MicrometerRateLimitMetrics;
import io.redispatterns.ratelimit.internal.RateLimitAnnotationSupport;
import io.redispatterns.ratelimit.internal.RateLimitExceptionHandler;
import io.redispatterns.ratelimit.internal.RateLimitedBeanPostProcessor;
import io.redispatterns.ratelimit.internal.RateLimitedHandlerInterceptor;
import io.redispatterns.ratelimit.internal.RedisRateLimiter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Auto-configuration of rate limiting: the {@link RateLimiter} with the configured policies,
 * {@code @RateLimited} on MVC handlers (interceptor, 429 problem responses) and bean methods
 * (Spring AOP), Micrometer metrics and the Actuator sections. Turn it off with
 * {@code redis-patterns.rate-limit.enabled=false}.
 */
@AutoConfiguration(after = RedisPatternsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration" })
@ConditionalOnBean({ RedisConnectionFactory.class, RedisKeys.class })
@ConditionalOnBooleanProperty(name = "redis-patterns.rate-limit.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RateLimitProperties.class)
@Import({ RateLimitAutoConfiguration.MetricsConfiguration.class, RateLimitAutoConfiguration.AnnotationConfiguration.class,
		RateLimitAutoConfiguration.AopConfiguration.class,
		RateLimitAutoConfiguration.WebMvcConfiguration.class, RateLimitAutoConfiguration.HealthConfiguration.class })
public final class RateLimitAutoConfiguration {

	static final String SERVLET_REQUEST = "jakarta.servlet.http.HttpServletRequest";

	@Bean
	@ConditionalOnMissingBean(RateLimiter.class)
	RateLimiter redisPatternsRateLimiter(RedisConnectionFactory connectionFactory, RedisKeys keys,
			RateLimitProperties properties, ObjectProvider<RateLimitMetrics> metrics) {
		PolicyFactory.validateSettings(properties);
		List<RateLimitPolicy> policies = PolicyFactory.policies(properties);
		String breakerPrefix = PolicyFactory.PREFIX + ".circuit-breaker";
		// validated once at start-up; then one breaker per policy, so one policy's trouble opens only its own
		properties.getCircuitBreaker().createBreaker("rate-limit", breakerPrefix);
		RedisRateLimiter limiter = new RedisRateLimiter(connectionFactory, keys, properties.getTimeout(),
				(policy) -> properties.getCircuitBreaker().createBreaker("rate-limit:" + policy, breakerPrefix),
				metrics.getIfAvailable(() -> RateLimitMetrics.NONE), policies);
		limiter.warmUp();
		return limiter;
	}

	/** The least healthy state among the policies' breakers: open, else half-open, else closed. */
	static RedisCircuitBreaker.State worst(Map<String, RedisCircuitBreaker.State> states) {
		if (states.containsValue(RedisCircuitBreaker.State.OPEN)) {
			return RedisCircuitBreaker.State.OPEN;
		}
		return states.containsValue(RedisCircuitBreaker.State.HALF_OPEN) ? RedisCircuitBreaker.State.HALF_OPEN
				: RedisCircuitBreaker.State.CLOSED;
	}

	@Bean
	RateLimitPolicyRefresher redisPatternsRateLimitPolicyRefresher(RateLimiter rateLimiter, Environment environment,
			ObjectProvider<RateLimitAnnotationSupport> support) {
		return new RateLimitPolicyRefresher(rateLimiter, environment, support);
	}

	/**
	 * Re-reads the policies when Spring Cloud refreshes the configuration
	 * ({@code EnvironmentChangeEvent}); counters in Redis are kept. The new policies are
	 * validated as at start-up and against their uses (annotation costs, keys, paths); when any
	 * is not usable, none is applied, the running ones stay and the problem is logged.
	 */
	static final class RateLimitPolicyRefresher implements ApplicationListener<ApplicationEvent> {

		static final String ENVIRONMENT_CHANGE_EVENT = "org.springframework.cloud.context.environment.EnvironmentChangeEvent";

		private static final Log logger = LogFactory.getLog(RateLimitPolicyRefresher.class);

		private static final boolean webMvcPresent = ClassUtils.isPresent(
				"org.springframework.web.servlet.HandlerInterceptor", RateLimitPolicyRefresher.class.getClassLoader());

		private final RateLimiter rateLimiter;

		private final Environment environment;

		private final ObjectProvider<RateLimitAnnotationSupport> support;

		RateLimitPolicyRefresher(RateLimiter rateLimiter, Environment environment,
				ObjectProvider<RateLimitAnnotationSupport> support) {
			this.rateLimiter = rateLimiter;
			this.environment = environment;
			this.support = support;
		}

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event.getClass().getName().equals(ENVIRONMENT_CHANGE_EVENT)) {
				refresh();
			}
		}

		/**
		 * Applies the configured policies.
		 * @return whether they were applied; {@code false} when one was not usable (logged)
		 */
		boolean refresh() {
			List<RateLimitPolicy> policies;
			try {
				RateLimitProperties properties = Binder.get(this.environment)
					.bind(PolicyFactory.PREFIX, RateLimitProperties.class)
					.orElseGet(RateLimitProperties::new);
				policies = PolicyFactory.policies(properties);
				RateLimitAnnotationSupport support = this.support.getIfAvailable();
				for (RateLimitPolicy policy : policies) {
					if (support != null) {
						support.validateReplacement(policy);
					}
					if (webMvcPresent) {
						RateLimitedHandlerInterceptor.parsePaths(policy);
					}
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Rate-limit policies not refreshed, the running ones are kept: " + ex.getMessage());
				return false;
			}
			for (RateLimitPolicy policy : policies) {
				this.rateLimiter.updatePolicy(policy);
			}
			return true;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RateLimitMetrics redisPatternsRateLimitMetrics(MeterRegistry registry) {
			return new MicrometerRateLimitMetrics(registry);
		}

	}

	/**
	 * {@code @RateLimited} support. Its key resolution reads client addresses and headers from
	 * the Servlet API, so it needs {@code jakarta.servlet-api} on the classpath (every Spring MVC
	 * application has it); without it the {@link RateLimiter} bean still works.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = SERVLET_REQUEST)
	static class AnnotationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RateLimitAnnotationSupport redisPatternsRateLimitAnnotationSupport(RateLimiter rateLimiter, RateLimitProperties properties,
				ConfigurableListableBeanFactory beanFactory) {
			ClientAddressResolver clientAddresses = ClientAddressResolver
				.forProperty(PolicyFactory.PREFIX + ".trusted-proxies", properties.getTrustedProxies());
			return new RateLimitAnnotationSupport(rateLimiter, clientAddresses, PolicyFactory.headerStyle(properties),
					beanFactory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(value = AbstractBeanFactoryAwareAdvisingPostProcessor.class, name = SERVLET_REQUEST)
	static class AopConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		@ConditionalOnMissingBean
		static RateLimitedBeanPostProcessor redisPatternsRateLimitedBeanPostProcessor(
				ObjectProvider<RateLimitAnnotationSupport> support) {
			return new RateLimitedBeanPostProcessor(support);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(HandlerInterceptor.class)
	static class WebMvcConfiguration {

		@Bean(RateLimitedBeanPostProcessor.HANDLER_INTERCEPTOR_BEAN_NAME)
		@ConditionalOnMissingBean
		RateLimitedHandlerInterceptor redisPatternsRateLimitedHandlerInterceptor(RateLimitAnnotationSupport support,
				ApplicationContext applicationContext) {
			return new RateLimitedHandlerInterceptor(support, applicationContext);
		}

		@Bean
		WebMvcConfigurer redisPatternsRateLimitWebMvcConfigurer(ObjectProvider<RateLimitedHandlerInterceptor> interceptor) {
			return new WebMvcConfigurer() {
				@Override
				public void addInterceptors(InterceptorRegistry registry) {
					registry.addInterceptor(interceptor.getObject());
				}
			};
		}

		@Bean
		@ConditionalOnMissingBean
		RateLimitExceptionHandler redisPatternsRateLimitExceptionHandler(RateLimitProperties properties) {
			return new RateLimitExceptionHandler(PolicyFactory.headerStyle(properties));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.health.contributor.Health")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "redisPatternsRateLimitHealthDetails")
		PatternHealthDetails redisPatternsRateLimitHealthDetails(RateLimiter rateLimiter) {
			return new PatternHealthDetails() {
				@Override
				public String patternName() {
					return "rateLimit";
				}

				@Override
				public Health health() {
					Health.Builder builder = Health.up();
					if (rateLimiter instanceof RedisRateLimiter redis) {
						Map<String, RedisCircuitBreaker.State> breakers = redis.circuitBreakerStates();
						builder.withDetail("circuitBreaker", worst(breakers).name())
							.withDetail("circuitBreakers", breakers)
							.withDetail("timeoutMs", redis.timeout().toMillis());
					}
					Map<String, String> policies = new LinkedHashMap<>();
					for (RateLimitPolicy policy : rateLimiter.policies()) {
						policies.put(policy.name(), policy.algorithm().value() + ", " + policy.describeLimits());
					}
					return builder.withDetail("policies", policies).build();
				}
			};
		}

	}

	@Bean
	@ConditionalOnMissingBean(name = "redisPatternsRateLimitEndpointDetails")
	PatternEndpointDetails redisPatternsRateLimitEndpointDetails(RateLimiter rateLimiter, RateLimitProperties properties) {
		return new PatternEndpointDetails() {
			@Override
			public String patternName() {
				return "rateLimit";
			}

			@Override
			public Map<String, Object> describe() {
				Map<String, Object> description = new LinkedHashMap<>();
				description.put("timeout", RateLimitPolicy.format(properties.getTimeout()));
				description.put("headerStyle", properties.getHeaderStyle().value());
				if (rateLimiter instanceof RedisRateLimiter redis) {
					description.put("circuitBreakers", redis.circuitBreakerStates());
				}
				Map<String, Object> policies = new LinkedHashMap<>();
				for (RateLimitPolicy policy : rateLimiter.policies()) {
					Map<String, Object> details = new LinkedHashMap<>();
					details.put("algorithm", policy.algorithm().value());
					if (policy.window() != null) {
						details.put("limit", policy.limit());
						details.put("window", RateLimitPolicy.format(policy.window()));
					}
					else {
						details.put("capacity", policy.limit());
						details.put("refillRate", String.valueOf(policy.refillRate()));
					}
					details.put("cost", policy.cost());
					details.put("key", policy.key());
					details.put("missingKey", policy.missingKey().value());
					details.put("failureMode", policy.failureMode().value());
					if (!policy.paths().isEmpty()) {
						details.put("paths", policy.paths());
						details.put("methods", policy.methods());
					}
					details.put("source", properties.getPolicies().containsKey(policy.name()) ? "configuration"
							: "annotation or API");
					policies.put(policy.name(), details);
				}
				description.put("policies", policies);
				return description;
			}
		};
	}

}
