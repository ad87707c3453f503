package io.redispatterns.responsecache.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.cache.CacheSettings;
import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.cache.autoconfigure.RedisPatternsCacheAutoConfiguration;
import io.redispatterns.cache.internal.RedisCacheTemplate;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.responsecache.HttpResponseCache;
import io.redispatterns.responsecache.ResponseCacheMetrics;
import io.redispatterns.responsecache.ResponseCachePolicy;
import io.redispatterns.responsecache.ResponseCacheSettings;
import io.redispatterns.responsecache.internal.ResponseCacheFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * Auto-configuration of HTTP response caching: the servlet filter for
 * {@code @CachedResponse} handlers and {@code redis-patterns.response-cache.routes}, registered at
 * {@code redis-patterns.response-cache.filter-order}; {@link HttpResponseCache} for evictions;
 * metrics and the Actuator endpoint section. Responses live in a cache of the cache pattern, so it
 * needs that pattern's {@link CacheTemplate}. Turn it off with
 * {@code redis-patterns.response-cache.enabled=false}.
 */
@AutoConfiguration(after = RedisPatternsCacheAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ RequestMappingHandlerMapping.class, FilterRegistrationBean.class })
@ConditionalOnBean(CacheTemplate.class)
@ConditionalOnBooleanProperty(name = "redis-patterns.response-cache.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ResponseCacheProperties.class)
public final class ResponseCacheAutoConfiguration {

	static final String PREFIX = "redis-patterns.response-cache";

	@Bean
	@ConditionalOnMissingBean
	ResponseCacheSettings redisPatternsResponseCacheSettings(ResponseCacheProperties properties, CacheTemplate cache) {
		return settings(properties, cache);
	}

	@Bean
	@ConditionalOnMissingBean
	ResponseCacheFilter redisPatternsResponseCacheFilter(CacheTemplate cache, ResponseCacheSettings settings,
			ObjectProvider<ResponseCacheMetrics> metrics, ResponseCacheProperties properties,
			ApplicationContext context) {
		ResponseCacheFilter filter = new ResponseCacheFilter(cache, settings,
				metrics.getIfAvailable(() -> ResponseCacheMetrics.NONE), availability(cache), context);
		filter.setOrder(properties.getFilterOrder());
		return filter;
	}

	@Bean
	@ConditionalOnMissingBean(name = "redisPatternsResponseCacheFilterRegistration")
	FilterRegistrationBean<ResponseCacheFilter> redisPatternsResponseCacheFilterRegistration(ResponseCacheFilter filter) {
		FilterRegistrationBean<ResponseCacheFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setOrder(filter.getOrder());
		return registration;
	}

	@Bean
	@ConditionalOnMissingBean
	HttpResponseCache redisPatternsHttpResponseCache(CacheTemplate cache, ResponseCacheSettings settings) {
		return new HttpResponseCache(cache, settings.cacheName());
	}

	/** While the cache's circuit breaker is open, requests skip the cache without a timeout. */
	static BooleanSupplier availability(CacheTemplate cache) {
		if (cache instanceof RedisCacheTemplate redisCache) {
			return () -> !io.redispatterns.core.RedisCircuitBreaker.State.OPEN.name().equals(redisCache.circuitState());
		}
		return () -> true;
	}

	@Bean
	@ConditionalOnMissingBean(name = "redisPatternsResponseCacheEndpointDetails")
	PatternEndpointDetails redisPatternsResponseCacheEndpointDetails(ResponseCacheSettings settings, ResponseCacheFilter filter) {
		return new PatternEndpointDetails() {
			@Override
			public String patternName() {
				return "responseCache";
			}

			@Override
			public Map<String, Object> describe() {
				Map<String, Object> description = new LinkedHashMap<>();
				description.put("cache", settings.cacheName());
				description.put("defaultTtl", settings.defaultTtl().toString());
				description.put("maxBodySize", settings.maxBodySize());
				description.put("cacheControl", settings.cacheControl());
				description.put("filterOrder", filter.getOrder());
				Map<String, String> routes = new LinkedHashMap<>();
				for (ResponseCacheSettings.Route route : settings.routes()) {
					routes.put(route.pattern().getPatternString(), "ttl=" + route.policy().ttl() + ", vary="
							+ route.policy().vary() + ", tags=" + route.policy().tags());
				}
				description.put("routes", routes);
				description.put("handlers", filter.describeHandlers());
				return description;
			}
		};
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ResponseCacheMetrics redisPatternsResponseCacheMetrics(MeterRegistry registry) {
			return new MicrometerResponseCacheMetrics(registry);
		}

	}

	static ResponseCacheSettings settings(ResponseCacheProperties properties, CacheTemplate cache) {
		String cacheName = (properties.getCache() != null) ? properties.getCache().trim() : "";
		if (cacheName.isEmpty()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + ".cache", String.valueOf(properties.getCache()),
					"the name of a cache, such as http-responses");
		}
		CacheSettings cacheSettings = cache.settings(cacheName);
		// the cache would refresh entries in the background, where no request exists to run a handler
		if (!cacheSettings.staleWhileRevalidate().isZero()) {
			throw new InvalidRedisPatternsPropertyException(
					"redis-patterns.cache.caches." + cacheName + ".stale-while-revalidate",
					cacheSettings.staleWhileRevalidate(), "0s for the cache that holds HTTP responses");
		}
		if (cacheSettings.earlyRefreshBeta() != 0) {
			throw new InvalidRedisPatternsPropertyException(
					"redis-patterns.cache.caches." + cacheName + ".early-refresh-beta", cacheSettings.earlyRefreshBeta(),
					"0 for the cache that holds HTTP responses");
		}
		Duration maxTtl = cacheSettings.ttl();
		Duration defaultTtl = ResponseCachePolicy.checkTtl(PREFIX + ".ttl", properties.getTtl(), maxTtl,
				cacheName);
		if (properties.getMaxBodySize() == null || properties.getMaxBodySize().isNegative()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + ".max-body-size",
					String.valueOf(properties.getMaxBodySize()), "a size of 0 or more, such as 1MB");
		}
		List<String> storedHeaders = properties.getStoredHeaders().stream().map(String::trim).toList();
		for (String name : storedHeaders) {
			if (name.equalsIgnoreCase("Set-Cookie") || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
				throw new InvalidRedisPatternsPropertyException(PREFIX + ".stored-headers", name,
						"header names other than Set-Cookie (a cached response must not hand one client's cookies to others)");
			}
		}
		String cacheControl = (properties.getCacheControl() != null) ? properties.getCacheControl().trim() : "";
		List<ResponseCacheSettings.Route> routes = new ArrayList<>();
		for (int i = 0; i < properties.getRoutes().size(); i++) {
			routes.add(route(PREFIX + ".routes[" + i + "].", properties.getRoutes().get(i), defaultTtl, maxTtl,
					cacheName, cacheControl));
		}
		return new ResponseCacheSettings(cacheName, defaultTtl, properties.getMaxBodySize().toBytes(), storedHeaders,
				cacheControl, routes);
	}

	private static ResponseCacheSettings.Route route(String prefix, ResponseCacheProperties.Route route,
			Duration defaultTtl, Duration maxTtl, String cacheName, String defaultCacheControl) {
		String text = route.getPattern();
		if (text == null || !text.startsWith("/")) {
			throw new InvalidRedisPatternsPropertyException(prefix + "pattern", String.valueOf(text),
					"a path pattern starting with '/', such as /api/catalog/**");
		}
		PathPattern pattern;
		try {
			pattern = PathPatternParser.defaultInstance.parse(text);
		}
		catch (PatternParseException ex) {
			throw new InvalidRedisPatternsPropertyException(prefix + "pattern", text,
					"a path pattern such as /api/catalog/** (" + ex.getMessage() + ")");
		}
		Duration ttl = ResponseCachePolicy.checkTtl(prefix + "ttl", (route.getTtl() != null) ? route.getTtl() : defaultTtl,
				maxTtl, cacheName);
		List<String> vary = route.getVary().stream().map(String::trim).toList();
		ResponseCachePolicy.checkVary(prefix + "vary", vary);
		String cacheControl = (route.getCacheControl() != null) ? route.getCacheControl().trim() : defaultCacheControl;
		return new ResponseCacheSettings.Route(pattern,
				new ResponseCachePolicy(ttl, vary, route.getTags(), cacheControl));
	}

}
