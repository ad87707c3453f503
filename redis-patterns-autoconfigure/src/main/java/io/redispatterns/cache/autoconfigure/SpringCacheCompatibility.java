package io.redispatterns.cache.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Reads Spring Boot's {@code spring.cache.*} properties so that adding the starter never changes
 * which cache an application uses without saying so: {@code spring.cache.type} decides whether the
 * redis-patterns cache manager becomes the application's {@code CacheManager} (only when unset or
 * {@code redis}); {@code spring.cache.cache-names} are its initial caches; and
 * {@code spring.cache.redis.time-to-live}, {@code cache-null-values} and {@code enable-statistics}
 * are the defaults of {@code redis-patterns.cache.ttl}, {@code cache-nulls} and
 * {@code enable-statistics}. {@code spring.cache.redis.key-prefix} and
 * {@code use-key-prefix=false} cannot be honoured (every key lives under
 * {@code redis-patterns.key-prefix}) and fail start-up naming the property.
 */
final class SpringCacheCompatibility {

	static final String TYPE = "spring.cache.type";

	private static final String REDIS = "spring.cache.redis.";

	private SpringCacheCompatibility() {
	}

	/** Whether {@code spring.cache.type} is unset or {@code redis}. */
	static boolean cacheTypeAllowsRedisPatterns(Environment environment) {
		String type = Binder.get(environment).bind(TYPE, String.class).orElse(null);
		return type == null || type.isBlank() || type.trim().toLowerCase(Locale.ROOT).equals("redis");
	}

	/** {@code spring.cache.cache-names}, the application's initial caches. */
	static List<String> cacheNames(Environment environment) {
		return Binder.get(environment).bind("spring.cache.cache-names", Bindable.listOf(String.class)).orElse(List.of());
	}

	/**
	 * Applies Spring Boot's Redis cache properties as defaults of the ones under
	 * {@code redis-patterns.cache} that are not set, and rejects those that cannot be honoured.
	 */
	static void applyDefaults(RedisPatternsCacheProperties properties, Environment environment) {
		Binder binder = Binder.get(environment);
		binder.bind(REDIS + "key-prefix", String.class).ifBound((prefix) -> {
			throw new InvalidRedisPatternsPropertyException(REDIS + "key-prefix", prefix,
					"unset: redis-patterns cache keys live under redis-patterns.key-prefix (<prefix>:cache:<cache>:...); "
							+ "set that property instead");
		});
		binder.bind(REDIS + "use-key-prefix", Boolean.class).ifBound((use) -> {
			if (!use) {
				throw new InvalidRedisPatternsPropertyException(REDIS + "use-key-prefix", false,
						"true or unset: redis-patterns cache keys always carry redis-patterns.key-prefix");
			}
		});
		boolean ttlSet = binder.bind("redis-patterns.cache.ttl", Duration.class).isBound()
				|| binder.bind("redis-patterns.cache.default-ttl", Duration.class).isBound();
		if (!ttlSet) {
			binder.bind(REDIS + "time-to-live", Duration.class).ifBound((ttl) -> {
				if (ttl.isNegative() || ttl.isZero()) {
					// Spring Data Redis reads 0 as "never expires"; every key here has a TTL
					throw new InvalidRedisPatternsPropertyException(REDIS + "time-to-live", ttl,
							"a positive duration (redis-patterns caches never store entries without a TTL)");
				}
				properties.setTtl(ttl);
			});
		}
		if (!binder.bind("redis-patterns.cache.cache-nulls", Duration.class).isBound()) {
			binder.bind(REDIS + "cache-null-values", Boolean.class)
				.ifBound((cacheNulls) -> properties.setCacheNulls(cacheNulls ? properties.getTtl() : null));
		}
		if (!binder.bind("redis-patterns.cache.enable-statistics", Boolean.class).isBound()) {
			binder.bind(REDIS + "enable-statistics", Boolean.class).ifBound(properties::setEnableStatistics);
		}
	}

	/** Matches when {@code spring.cache.type} names another cache type. */
	static final class CacheTypeNamesAnother extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			if (cacheTypeAllowsRedisPatterns(context.getEnvironment())) {
				return ConditionOutcome.noMatch(TYPE + " is unset or redis");
			}
			return ConditionOutcome.match(TYPE + " names another cache type");
		}

	}

	/** Matches when {@code spring.cache.type} is unset or {@code redis}. */
	static final class CacheTypeAllowsRedisPatterns extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			if (cacheTypeAllowsRedisPatterns(context.getEnvironment())) {
				return ConditionOutcome.match(TYPE + " is unset or redis");
			}
			return ConditionOutcome.noMatch(TYPE + " names another cache type");
		}

	}

}
