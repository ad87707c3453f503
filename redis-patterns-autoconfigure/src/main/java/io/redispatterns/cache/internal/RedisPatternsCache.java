package io.redispatterns.cache.internal;

import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.redispatterns.cache.CacheLockTimeoutException;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.support.NullValue;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * A Spring {@link Cache} over {@link RedisCacheTemplate}, behaving like Spring Data Redis's
 * {@code RedisCache} where Spring's contract leaves a choice. {@link #get(Object, Callable)} (used by
 * {@code @Cacheable(sync = true)}) runs the distributed loader protocol, and
 * {@link #retrieve(Object, Supplier)} (used for {@code CompletableFuture}, {@code Mono} and {@code Flux}
 * methods) runs it without blocking. Keys are converted by {@link CacheKeyConverter}; {@code null}
 * values are stored only when the cache caches nulls. Values are decoded as the type this view was
 * made for (the cached method's return type when resolved through
 * {@link RedisPatternsCacheResolver}), else as plain JSON types.
 */
final class RedisPatternsCache implements Cache {

	private final String name;

	private final RedisCacheTemplate template;

	private final Type type;

	RedisPatternsCache(String name, RedisCacheTemplate template, Type type) {
		this.name = name;
		this.template = template;
		this.type = type;
	}

	RedisPatternsCache forType(Type valueType) {
		return valueType.equals(this.type) ? this : new RedisPatternsCache(this.name, this.template, valueType);
	}

	Type valueType() {
		return this.type;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public Object getNativeCache() {
		return this.template;
	}

	@Override
	public @Nullable ValueWrapper get(Object key) {
		RedisCacheTemplate.Lookup<Object> lookup = this.template.runtime().reader().lookup(this.name, key, this.type);
		return lookup.present() ? new SimpleValueWrapper(lookup.value()) : null;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
		Type target = (type != null) ? type : this.type;
		RedisCacheTemplate.Lookup<Object> lookup = this.template.runtime().reader().lookup(this.name, key, target);
		Object value = lookup.value();
		if (value != null && type != null && !type.isInstance(value)) {
			throw new IllegalStateException("Cached value is not of required type [" + type.getName() + "]: " + value);
		}
		return (T) value;
	}

	@Override
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		String id = this.template.id(key);
		try {
			return this.template.getOrLoad(this.name, this.template.settings(this.name), id, this.type,
					List.of(), valueLoader::call, valueLoader::call);
		}
		catch (DistributedLoader.LoaderFailedException ex) {
			throw new ValueRetrievalException(key, valueLoader, ex.getCause());
		}
		catch (RuntimeException ex) {
			if (ex instanceof CacheLockTimeoutException) {
				throw ex;
			}
			throw new ValueRetrievalException(key, valueLoader, ex);
		}
	}

	/**
	 * Reads an entry without blocking: a future of a {@link ValueWrapper} (holding {@code null} for a
	 * cached {@code null}), or of {@code null} on a miss or when Redis cannot be reached.
	 */
	@Override
	public CompletableFuture<?> retrieve(Object key) {
		return this.template.runtime().async()
			.lookup(this.name, key, this.type)
			.thenApply((lookup) -> lookup.present() ? new SimpleValueWrapper(lookup.value()) : null);
	}

	/**
	 * Returns the cached value or loads it without blocking, with the same loader election across
	 * instances as {@link #get(Object, Callable)}.
	 */
	@Override
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		return this.template.runtime().async().getOrLoad(this.name, key, this.type, valueLoader);
	}

	/**
	 * Stores a value. {@code null} (or Spring's {@link NullValue}) is stored as a cached {@code null}
	 * when the cache caches nulls ({@code cache-nulls}), and refused otherwise, as Spring Data Redis's
	 * cache does.
	 * @throws IllegalArgumentException for {@code null} when the cache does not cache nulls
	 */
	@Override
	public void put(Object key, @Nullable Object value) {
		Object stored = (value == NullValue.INSTANCE) ? null : value;
		if (stored == null && this.template.settings(this.name).cacheNulls() == null) {
			throw new IllegalArgumentException("Cache '" + this.name + "' does not allow null values; avoid storing "
					+ "null with @Cacheable(unless = \"#result == null\") or set redis-patterns.cache.caches."
					+ this.name + ".cache-nulls (or redis-patterns.cache.cache-nulls)");
		}
		this.template.put(this.name, key, stored);
	}

	@Override
	public void evict(Object key) {
		this.template.evict(this.name, key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		return this.template.evictIfPresent(this.name, key);
	}

	@Override
	public void clear() {
		this.template.clear(this.name);
	}

	@Override
	public boolean invalidate() {
		return this.template.clear(this.name) > 0;
	}

}
