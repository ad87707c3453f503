package io.redispatterns.cache.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheOperationInvocationContext;
import org.springframework.cache.interceptor.SimpleCacheResolver;
import org.springframework.core.ResolvableType;

/**
 * Resolves caches like Spring's {@link SimpleCacheResolver} and hands out views of the Redis
 * caches that decode JSON as the cached method's declared generic return type ({@code Optional},
 * {@code CompletableFuture} and {@code Mono} unwrapped, {@code Flux} as a list, as {@code @Cacheable}
 * caches them). The auto-configuration installs it through a
 * {@code CachingConfigurer} when the application has none; otherwise name it in
 * {@code @Cacheable(cacheResolver = "redisPatternsCacheResolver")}.
 */
public class RedisPatternsCacheResolver extends SimpleCacheResolver {

	/**
	 * Creates a resolver.
	 * @param cacheManager the cache manager to resolve names with
	 */
	public RedisPatternsCacheResolver(CacheManager cacheManager) {
		super(cacheManager);
	}

	@Override
	public Collection<? extends Cache> resolveCaches(CacheOperationInvocationContext<?> context) {
		Collection<? extends Cache> caches = super.resolveCaches(context);
		Type valueType = valueType(context.getMethod());
		List<Cache> resolved = new ArrayList<>(caches.size());
		for (Cache cache : caches) {
			resolved.add((cache instanceof RedisPatternsCache redis) ? redis.forType(valueType) : cache);
		}
		return resolved;
	}

	static Type valueType(Method method) {
		ResolvableType returnType = ResolvableType.forMethodReturnType(method);
		Class<?> raw = returnType.toClass();
		if (raw == Optional.class || raw == CompletableFuture.class || raw.getName().equals("reactor.core.publisher.Mono")) {
			// cached as the value they hold, as @Cacheable does
			returnType = returnType.getGeneric(0);
		}
		else if (raw.getName().equals("reactor.core.publisher.Flux")) {
			// @Cacheable caches a Flux as the list of its elements
			returnType = ResolvableType.forClassWithGenerics(List.class, returnType.getGeneric(0));
		}
		Type type = returnType.getType();
		return (returnType.resolve() == null || type == void.class) ? Object.class : type;
	}

}
