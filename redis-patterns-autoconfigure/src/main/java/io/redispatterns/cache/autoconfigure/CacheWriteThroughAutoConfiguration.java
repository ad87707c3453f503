package io.redispatterns.cache.autoconfigure;

import io.redispatterns.cache.CacheWriteThrough;
import io.redispatterns.cache.RedisCacheTemplate;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@link CacheWriteThrough}, the write-through operations of the redis-patterns
 * caches. Present whenever the cache template is.
 */
@AutoConfiguration(after = RedisPatternsCacheAutoConfiguration.class)
@ConditionalOnBean(RedisCacheTemplate.class)
public final class CacheWriteThroughAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CacheWriteThrough redisPatternsCacheWriteThrough(RedisCacheTemplate template) {
		return new CacheWriteThrough(template);
	}

}
