package io.redispatterns.cache.autoconfigure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.cache.CacheMetrics;
import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.cache.NearCacheSettings;
import io.redispatterns.cache.internal.CacheKeyConverter;
import io.redispatterns.cache.internal.CacheValueEncryption;
import io.redispatterns.cache.internal.CachingAnnotationBeanPostProcessor;
import io.redispatterns.cache.internal.MicrometerCacheMetrics;
import io.redispatterns.cache.internal.NearCachesLifecycle;
import io.redispatterns.cache.internal.RedisCacheTemplate;
import io.redispatterns.cache.internal.RedisPatternsCacheManager;
import io.redispatterns.cache.internal.RedisPatternsCacheResolver;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.crypto.ValueEncryptor;
import io.redispatterns.crypto.autoconfigure.EncryptionAutoConfiguration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.health.contributor.Health;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Auto-configuration of the cache pattern: the {@link RedisCacheTemplate}, the
 * {@link CachingAnnotationBeanPostProcessor} for {@code @CachedWithLock}/{@code @CacheInvalidate},
 * a {@link RedisPatternsCacheManager} (the application's {@code CacheManager} when it has none and
 * {@code spring.cache.type} is unset or {@code redis}, said once in the log; else a bean named
 * {@code redisPatternsCacheManager} that is not an autowire candidate), metrics and
 * Actuator details. Loaders are elected with per-key locks in the cache's own key space, so the
 * lock pattern is not needed.
 */
@AutoConfiguration(after = { RedisPatternsAutoConfiguration.class, EncryptionAutoConfiguration.class },
		beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration",
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean({ RedisKeys.class, JsonCodec.class, RedisConnectionFactory.class })
@ConditionalOnBooleanProperty(name = "redis-patterns.cache.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RedisPatternsCacheProperties.class)
public final class RedisPatternsCacheAutoConfiguration {

	private static final Log logger = LogFactory.getLog(RedisPatternsCacheAutoConfiguration.class);

	static final String CACHE_MANAGER_BEAN = "redisPatternsCacheManager";

	@Bean
	@ConditionalOnMissingBean(CacheTemplate.class)
	RedisCacheTemplate redisPatternsCacheTemplate(RedisConnectionFactory connectionFactory, RedisKeys keys,
			JsonCodec codec, RedisPatternsCacheProperties properties, ObjectProvider<CacheMetrics> metrics,
			ListableBeanFactory beanFactory, Environment environment, ObjectProvider<ValueEncryptor> encryptor) {
		if (SpringCacheCompatibility.cacheTypeAllowsRedisPatterns(environment)) {
			SpringCacheCompatibility.applyDefaults(properties, environment);
		}
		StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
		// validated before the template starts its threads
		Map<String, NearCacheSettings> nearCaches = CacheSettingsFactory.nearCaches(properties);
		if (properties.getRefreshThreads() < 1) {
			throw new InvalidRedisPatternsPropertyException("redis-patterns.cache.refresh-threads",
					properties.getRefreshThreads(), "a positive number");
		}
		RedisCacheTemplate template = new RedisCacheTemplate(redis, keys,
				cacheMapper(codec.mapper(), properties.getPolymorphicPackages()),
				CacheSettingsFactory.defaults(properties), CacheSettingsFactory.caches(properties),
				properties.isEnableStatistics() ? metrics.getIfAvailable(() -> CacheMetrics.NONE) : CacheMetrics.NONE,
				properties.getCircuitBreaker().createBreaker("cache", "redis-patterns.cache.circuit-breaker"),
				properties.getRefreshThreads(), keyConverter(beanFactory));
		template.setValueEncryption(encryption(properties, encryptor.getIfAvailable()));
		template.setNearCaches(nearCaches);
		return template;
	}

	/** Ends the near caches' tracking before the connection factory stops. */
	@Bean
	NearCachesLifecycle redisPatternsNearCachesLifecycle(ObjectProvider<RedisCacheTemplate> template) {
		return new NearCachesLifecycle(template::getIfUnique);
	}

	/**
	 * The caches marked {@code encrypted}; marking one without keys (no
	 * {@code redis-patterns.encryption.*}, no {@code KeyProvider} bean) fails start-up naming its
	 * property rather than storing values in clear.
	 */
	static CacheValueEncryption encryption(RedisPatternsCacheProperties properties, @Nullable ValueEncryptor encryptor) {
		Set<String> encrypted = new LinkedHashSet<>();
		properties.getCaches().forEach((name, cache) -> {
			if (cache.isEncrypted()) {
				encrypted.add(name);
			}
		});
		if (encrypted.isEmpty()) {
			return CacheValueEncryption.NONE;
		}
		if (encryptor == null) {
			String property = "redis-patterns.cache.caches." + encrypted.iterator().next() + ".encrypted";
			throw new InvalidRedisPatternsPropertyException(property, true, "true only once encryption keys exist: set "
					+ "redis-patterns.encryption.keys.<id> and redis-patterns.encryption.active-key, or define a "
					+ "KeyProvider bean");
		}
		return new CacheValueEncryption(encryptor, encrypted);
	}

	/**
	 * Cache keys are converted like Spring Data Redis's: through a conversion service that also
	 * knows the application's {@code Converter} beans (as Spring MVC's does in Spring Boot).
	 */
	static CacheKeyConverter keyConverter(ListableBeanFactory beanFactory) {
		ApplicationConversionService conversionService = new ApplicationConversionService();
		ApplicationConversionService.addBeans(conversionService, beanFactory);
		return new CacheKeyConverter(conversionService);
	}

	static JsonMapper cacheMapper(JsonMapper mapper, List<String> polymorphicPackages) {
		BasicPolymorphicTypeValidator.Builder validator = BasicPolymorphicTypeValidator.builder();
		for (String packageName : polymorphicPackages) {
			validator.allowIfSubType(packageName.endsWith(".") ? packageName : packageName + ".");
		}
		return mapper.rebuild().polymorphicTypeValidator(validator.build()).build();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnClass(AbstractBeanFactoryAwareAdvisingPostProcessor.class)
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static CachingAnnotationBeanPostProcessor redisPatternsCachingPostProcessor(
			ObjectProvider<RedisCacheTemplate> template, Environment environment) {
		RedisPatternsCacheProperties properties = Binder.get(environment)
			.bind("redis-patterns.cache", RedisPatternsCacheProperties.class)
			.orElseGet(RedisPatternsCacheProperties::new);
		Map<String, RedisPatternsCacheProperties.Cache> caches = properties.getCaches();
		return new CachingAnnotationBeanPostProcessor(template::getObject, properties.isStrict(), caches::containsKey);
	}

	@Bean
	@ConditionalOnMissingBean
	RedisPatternsCacheResolver redisPatternsCacheResolver(RedisCacheTemplate template,
			RedisPatternsCacheProperties properties) {
		return new RedisPatternsCacheResolver(new RedisPatternsCacheManager(template, properties.isStrict()));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(CacheManager.class)
	@Conditional(SpringCacheCompatibility.CacheTypeAllowsRedisPatterns.class)
	static class PrimaryCacheManagerConfiguration {

		@Bean(CACHE_MANAGER_BEAN)
		RedisPatternsCacheManager redisPatternsCacheManager(RedisCacheTemplate template,
				RedisPatternsCacheProperties properties, Environment environment) {
			// said once per application: adding the starter changed which cache @Cacheable uses
			logger.info("@Cacheable, @CachePut and @CacheEvict use the redis-patterns cache manager (entries under '"
					+ template.keyNamespace() + "'). To use another cache, set spring.cache.type (such as "
					+ "spring.cache.type=caffeine), define your own CacheManager bean, or set "
					+ "redis-patterns.cache.enabled=false");
			return new RedisPatternsCacheManager(template, properties.isStrict(),
					SpringCacheCompatibility.cacheNames(environment));
		}

		@Bean
		@ConditionalOnMissingBean(CachingConfigurer.class)
		CachingConfigurer redisPatternsCachingConfigurer(ObjectProvider<RedisPatternsCacheResolver> resolver) {
			return new CachingConfigurer() {
				@Override
				public CacheResolver cacheResolver() {
					return resolver.getObject();
				}
			};
		}

	}

	/**
	 * When the application's {@code CacheManager} is another (its own bean, or the one
	 * {@code spring.cache.type} selects), the redis-patterns one is still available by name.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(AnotherCacheManagerCondition.class)
	@ConditionalOnMissingBean(name = CACHE_MANAGER_BEAN)
	static class SecondaryCacheManagerConfiguration {

		@Bean(name = CACHE_MANAGER_BEAN, autowireCandidate = false)
		RedisPatternsCacheManager redisPatternsCacheManager(RedisCacheTemplate template,
				RedisPatternsCacheProperties properties) {
			return new RedisPatternsCacheManager(template, properties.isStrict());
		}

	}

	/** The application's cache manager is another: its own bean, or the one spring.cache.type names. */
	static final class AnotherCacheManagerCondition extends AnyNestedCondition {

		AnotherCacheManagerCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(CacheManager.class)
		static class ApplicationCacheManager {

		}

		@Conditional(SpringCacheCompatibility.CacheTypeNamesAnother.class)
		static class AnotherCacheType {

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class CacheMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		CacheMetrics redisPatternsCacheMetrics(MeterRegistry registry) {
			return new MicrometerCacheMetrics(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CacheEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "redisPatternsCacheEndpointDetails")
		PatternEndpointDetails redisPatternsCacheEndpointDetails(RedisCacheTemplate template) {
			return new PatternEndpointDetails() {
				@Override
				public String patternName() {
					return "cache";
				}

				@Override
				public Map<String, Object> describe() {
					return template.describe();
				}
			};
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(Health.class)
		static class CacheHealthConfiguration {

			@Bean
			@ConditionalOnMissingBean(name = "redisPatternsCacheHealthDetails")
			PatternHealthDetails redisPatternsCacheHealthDetails(RedisCacheTemplate template) {
				return new PatternHealthDetails() {
					@Override
					public String patternName() {
						return "cache";
					}

					@Override
					public Health health() {
						// The cache degrades to calling loaders, so an open breaker is reported, not DOWN.
						return Health.up().withDetail("circuitBreaker", template.circuitState())
							.withDetail("caches", template.cacheNames().size())
							.build();
					}
				};
			}

		}

	}

}
