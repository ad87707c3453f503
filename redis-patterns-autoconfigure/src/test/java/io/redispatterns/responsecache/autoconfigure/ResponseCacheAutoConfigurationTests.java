package io.redispatterns.responsecache.autoconfigure;

import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.responsecache.CachedResponse;
import io.redispatterns.responsecache.HttpResponseCache;
import io.redispatterns.responsecache.ResponseCacheSettings;
import io.redispatterns.responsecache.internal.ResponseCacheFilter;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions, back-off, property binding and start-up validation of the response cache
 * auto-configuration.
 */
@WithRedis
class ResponseCacheAutoConfigurationTests {

	private RedisDeployment redis;

	private WebApplicationContextRunner webRunner() {
		return new WebApplicationContextRunner()
			.withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails)
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, RedisPatternsCacheAutoConfiguration.class,
					ResponseCacheAutoConfiguration.class));
	}

	@Test
	void registersTheFilterAtItsDocumentedOrderAndTheInvalidator() {
		webRunner().run((context) -> {
			assertThat(context).hasSingleBean(ResponseCacheFilter.class).hasSingleBean(HttpResponseCache.class);
			assertThat(context.getBean("redisPatternsResponseCacheFilterRegistration", FilterRegistrationBean.class).getOrder())
				.isEqualTo(ResponseCacheProperties.DEFAULT_FILTER_ORDER);
			ResponseCacheSettings settings = context.getBean(ResponseCacheSettings.class);
			assertThat(settings.cacheName()).isEqualTo("http-responses");
			assertThat(settings.defaultTtl()).hasSeconds(60);
			assertThat(settings.maxBodySize()).isEqualTo(1024 * 1024);
			assertThat(settings.cacheControl()).isEqualTo("no-cache");
		});
	}

	@Test
	void bindsRoutesAndTheFilterOrder() {
		webRunner()
			.withPropertyValues("redis-patterns.response-cache.filter-order=5",
					"redis-patterns.response-cache.routes[0].pattern=/api/catalog/**",
					"redis-patterns.response-cache.routes[0].ttl=10s",
					"redis-patterns.response-cache.routes[0].vary=X-Tenant",
					"redis-patterns.response-cache.routes[0].tags=catalog")
			.run((context) -> {
				assertThat(context.getBean("redisPatternsResponseCacheFilterRegistration", FilterRegistrationBean.class).getOrder())
					.isEqualTo(5);
				ResponseCacheSettings.Route route = context.getBean(ResponseCacheSettings.class).routes().get(0);
				assertThat(route.pattern().getPatternString()).isEqualTo("/api/catalog/**");
				assertThat(route.policy().ttl()).hasSeconds(10);
				assertThat(route.policy().vary()).containsExactly("X-Tenant");
				assertThat(route.policy().tags()).containsExactly("catalog");
			});
	}

	@Test
	void backsOffWhenDisabledOrWithoutTheCachePattern() {
		webRunner().withPropertyValues("redis-patterns.response-cache.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ResponseCacheFilter.class));
		webRunner().withPropertyValues("redis-patterns.cache.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ResponseCacheFilter.class));
	}

	@Test
	void isNotConfiguredOutsideAServletWebApplication() {
		new ApplicationContextRunner().withBean(DataRedisConnectionDetails.class, this.redis::connectionDetails)
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					RedisPatternsAutoConfiguration.class, RedisPatternsCacheAutoConfiguration.class,
					ResponseCacheAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ResponseCacheFilter.class));
	}

	@Test
	void invalidConfigurationFailsStartUpNamingTheProperty() {
		failsNaming("redis-patterns.response-cache.routes[0].pattern",
				"redis-patterns.response-cache.routes[0].pattern=api/**");
		failsNaming("redis-patterns.response-cache.routes[0].vary",
				"redis-patterns.response-cache.routes[0].pattern=/a", "redis-patterns.response-cache.routes[0].vary=X Y");
		failsNaming("redis-patterns.response-cache.ttl", "redis-patterns.response-cache.ttl=2h");
		failsNaming("redis-patterns.response-cache.ttl", "redis-patterns.response-cache.ttl=0s");
		failsNaming("redis-patterns.response-cache.stored-headers",
				"redis-patterns.response-cache.stored-headers=ETag,Set-Cookie");
		failsNaming("redis-patterns.cache.caches.http-responses.stale-while-revalidate",
				"redis-patterns.cache.caches.http-responses.stale-while-revalidate=10s");
	}

	private void failsNaming(String property, String... properties) {
		webRunner().withPropertyValues(properties)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining(property));
	}

	@Test
	void aBadAnnotationFailsStartUpNamingTheHandler() {
		webRunner().withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class))
			.withUserConfiguration(BadTtlController.class)
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("@CachedResponse on BadTtlController.item (ttl)"));
		webRunner().withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class))
			.withUserConfiguration(PostController.class)
			.run((context) -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("@CachedResponse on PostController.create"));
	}

	@RestController
	static class BadTtlController {

		@CachedResponse(ttl = "soon")
		@GetMapping("/item")
		String item() {
			return "item";
		}

	}

	@RestController
	static class PostController {

		@CachedResponse
		@PostMapping("/items")
		String create() {
			return "created";
		}

	}

}
