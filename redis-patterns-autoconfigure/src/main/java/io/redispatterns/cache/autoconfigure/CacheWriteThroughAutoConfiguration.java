package io.redispatterns.cache.autoconfigure;

import io.redispatterns.cache.CacheWriteThrough;
import io.redispatterns.cache.internal.RedisCacheTemplate;
import io.redispatterns.cache.internal.RedisCacheWriteThrough;
import io.redispatterns.cache.internal.WriteThroughAnnotationBeanPostProcessor;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * Auto-configuration of {@link CacheWriteThrough}, the write-through operations of the redis-patterns
 * caches, and of {@link io.redispatterns.cache.WriteThrough @WriteThrough} methods. Present whenever the
 * cache template is.
 */
@AutoConfiguration(after = RedisPatternsCacheAutoConfiguration.class)
@ConditionalOnBean(RedisCacheTemplate.class)
public final class CacheWriteThroughAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CacheWriteThrough redisPatternsCacheWriteThrough(RedisCacheTemplate template) {
		return new RedisCacheWriteThrough(template);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	@ConditionalOnClass(AbstractBeanFactoryAwareAdvisingPostProcessor.class)
	static WriteThroughAnnotationBeanPostProcessor redisPatternsWriteThroughAnnotationBeanPostProcessor(
			ObjectProvider<CacheWriteThrough> writeThrough, ObjectProvider<RedisCacheTemplate> template) {
		return new WriteThroughAnnotationBeanPostProcessor(writeThrough::getObject, template::getObject);
	}

}
