package io.redispatterns.idempotency.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.idempotency.IdempotencyMetrics;
import io.redispatterns.idempotency.IdempotencySettings;
import io.redispatterns.idempotency.IdempotencyStore;
import io.redispatterns.idempotency.internal.IdempotencyExceptionHandler;
import io.redispatterns.idempotency.internal.IdempotencyFilter;
import io.redispatterns.idempotency.internal.IdempotencyHandlerInterceptor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Auto-configuration of idempotent requests: {@code @Idempotent} on Spring MVC handlers (a
 * servlet filter that buffers and stores responses, a handler interceptor that claims keys,
 * problem responses), Micrometer metrics and the Actuator endpoint section. Turn it off with
 * {@code redis-patterns.idempotency.enabled=false}.
 */
@AutoConfiguration(after = RedisPatternsAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ HandlerInterceptor.class, RedisConnectionFactory.class })
@ConditionalOnBean({ RedisConnectionFactory.class, RedisKeys.class })
@ConditionalOnBooleanProperty(name = "redis-patterns.idempotency.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IdempotencyProperties.class)
@Import(IdempotencyAutoConfiguration.MetricsConfiguration.class)
public final class IdempotencyAutoConfiguration {

	static final String PREFIX = "redis-patterns.idempotency";

	@Bean
	@ConditionalOnMissingBean
	IdempotencySettings redisPatternsIdempotencySettings(IdempotencyProperties properties) {
		return settings(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyStore redisPatternsIdempotencyStore(RedisConnectionFactory connectionFactory) {
		return new IdempotencyStore(connectionFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyHandlerInterceptor redisPatternsIdempotencyHandlerInterceptor(IdempotencyStore store, RedisKeys keys,
			IdempotencySettings settings, ObjectProvider<IdempotencyMetrics> metrics,
			ApplicationContext applicationContext) {
		return new IdempotencyHandlerInterceptor(store, keys, settings,
				metrics.getIfAvailable(() -> IdempotencyMetrics.NONE), applicationContext);
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyFilter redisPatternsIdempotencyFilter(IdempotencyStore store, IdempotencySettings settings,
			ObjectProvider<IdempotencyMetrics> metrics) {
		return new IdempotencyFilter(store, settings, metrics.getIfAvailable(() -> IdempotencyMetrics.NONE));
	}

	@Bean
	WebMvcConfigurer redisPatternsIdempotencyWebMvcConfigurer(ObjectProvider<IdempotencyHandlerInterceptor> interceptor) {
		return new WebMvcConfigurer() {
			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				// last, so that a request other interceptors refuse (a rate limit) never claims a key
				registry.addInterceptor(interceptor.getObject()).order(Ordered.LOWEST_PRECEDENCE);
			}
		};
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyExceptionHandler redisPatternsIdempotencyExceptionHandler() {
		return new IdempotencyExceptionHandler();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		IdempotencyMetrics redisPatternsIdempotencyMetrics(MeterRegistry registry) {
			return new MicrometerIdempotencyMetrics(registry);
		}

	}

	@Bean
	@ConditionalOnMissingBean(name = "redisPatternsIdempotencyEndpointDetails")
	PatternEndpointDetails redisPatternsIdempotencyEndpointDetails(IdempotencySettings settings,
			IdempotencyHandlerInterceptor interceptor) {
		return new PatternEndpointDetails() {
			@Override
			public String patternName() {
				return "idempotency";
			}

			@Override
			public Map<String, Object> describe() {
				Map<String, Object> description = new LinkedHashMap<>();
				description.put("headerName", settings.headerName());
				description.put("ttl", settings.ttl().toString());
				description.put("lease", settings.lease().toString());
				description.put("inProgressWait", settings.inProgressWait().toString());
				description.put("maxBodySize", settings.maxBodySize());
				description.put("missingKey", settings.missingKey().value());
				description.put("failureMode", settings.failureMode().value());
				description.put("responseHeaders", settings.responseHeaders());
				description.put("handlers", interceptor.describeHandlers());
				return description;
			}
		};
	}

	static IdempotencySettings settings(IdempotencyProperties properties) {
		String header = properties.getHeaderName();
		if (header == null || header.isBlank() || !header.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + ".header-name", String.valueOf(header),
					"an HTTP header name such as Idempotency-Key");
		}
		requirePositive("window", properties.getWindow());
		requirePositive("lease", properties.getLease());
		if (properties.getInProgressWait() == null || properties.getInProgressWait().isNegative()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + ".in-progress-wait",
					String.valueOf(properties.getInProgressWait()), "a duration of 0 or more, such as 5s");
		}
		if (properties.getMaxBodySize() == null || properties.getMaxBodySize().isNegative()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + ".max-body-size",
					String.valueOf(properties.getMaxBodySize()), "a size of 0 or more, such as 64KB");
		}
		List<String> headers = properties.getResponseHeaders().stream().map(String::trim).toList();
		for (String name : headers) {
			if (name.equalsIgnoreCase("Set-Cookie")) {
				throw new InvalidRedisPatternsPropertyException(PREFIX + ".response-headers", name,
						"headers that may be repeated to any retry; Set-Cookie would hand one client's cookies to a replay");
			}
		}
		return new IdempotencySettings(header, properties.getWindow(), properties.getLease(),
				properties.getInProgressWait(), properties.getMaxBodySize().toBytes(), properties.getMissingKey(),
				properties.getFailureMode(), headers);
	}

	private static void requirePositive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "." + property, String.valueOf(value),
					"a positive duration");
		}
	}

}
