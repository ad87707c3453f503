package io.redispatterns.transaction.autoconfigure;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.transaction.RedisTransactions;
import io.redispatterns.transaction.TransactionMetrics;
import io.redispatterns.transaction.TransactionSettings;
import io.redispatterns.transaction.internal.LettuceRedisTransactions;
import io.redispatterns.transaction.internal.TransactionEndpointDetails;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of optimistic transactions: the {@link RedisTransactions} bean on the
 * application's Lettuce client, Micrometer metrics and the {@code transaction} section of the
 * {@code redispatterns} endpoint. Turn it off with {@code redis-patterns.transaction.enabled=false}.
 */
@AutoConfiguration(after = RedisPatternsAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(LettuceConnectionFactory.class)
@ConditionalOnBean(LettuceConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "redis-patterns.transaction.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TransactionProperties.class)
public final class TransactionAutoConfiguration {

	static final String PREFIX = "redis-patterns.transaction.";

	@Bean
	@ConditionalOnMissingBean(RedisTransactions.class)
	RedisTransactions redisPatternsTransactions(LettuceConnectionFactory connectionFactory,
			TransactionProperties properties, ObjectProvider<TransactionMetrics> metrics) {
		return new LettuceRedisTransactions(connectionFactory, settings(properties),
				metrics.getIfAvailable(() -> TransactionMetrics.NONE));
	}

	static TransactionSettings settings(TransactionProperties properties) {
		if (properties.getMaxAttempts() < 1) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "max-attempts", properties.getMaxAttempts(),
					"1 or more attempts");
		}
		if (properties.getConnections() < 1) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "connections", properties.getConnections(),
					"1 or more connections");
		}
		TransactionProperties.Backoff backoff = properties.getBackoff();
		atLeastOneMilli(backoff.getInitial(), "backoff.initial");
		atLeastOneMilli(backoff.getMax(), "backoff.max");
		atLeastOneMilli(properties.getAcquireTimeout(), "acquire-timeout");
		if (backoff.getMax().compareTo(backoff.getInitial()) < 0) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "backoff.max", backoff.getMax(),
					"a duration no shorter than backoff.initial (" + backoff.getInitial() + ")");
		}
		return new TransactionSettings(properties.getMaxAttempts(), backoff.getInitial(), backoff.getMax(),
				properties.getConnections(), properties.getAcquireTimeout());
	}

	private static void atLeastOneMilli(Duration value, String property) {
		if (value == null || value.toMillis() < 1) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + property, value, "a duration of at least 1ms");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class TransactionMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MeterRegistry.class)
		TransactionMetrics redisPatternsTransactionMetrics(MeterRegistry registry) {
			return new MicrometerTransactionMetrics(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	static class TransactionEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TransactionEndpointDetails redisPatternsTransactionEndpointDetails(RedisTransactions transactions) {
			return new TransactionEndpointDetails(transactions);
		}

	}

}
