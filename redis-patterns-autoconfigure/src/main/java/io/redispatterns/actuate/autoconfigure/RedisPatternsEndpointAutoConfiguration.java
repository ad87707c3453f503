package io.redispatterns.actuate.autoconfigure;

import io.redispatterns.actuate.RedisPatternsEndpoint;
import io.redispatterns.core.EndpointSection;
import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Registers the {@code redispatterns} Actuator endpoint (expose it with
 * {@code management.endpoints.web.exposure.include=redispatterns}).
 */
@AutoConfiguration(after = RedisPatternsAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ RedisConnectionFactory.class, RedisKeys.class })
@ConditionalOnAvailableEndpoint(RedisPatternsEndpoint.class)
public final class RedisPatternsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisPatternsEndpoint redisPatternsEndpoint(RedisConnectionFactory connectionFactory, RedisKeys keys,
			ObjectProvider<PatternEndpointDetails> patterns, ObjectProvider<EndpointSection> sections) {
		return new RedisPatternsEndpoint(connectionFactory, keys, patterns.orderedStream().toList(),
				sections.orderedStream().toList());
	}

}
