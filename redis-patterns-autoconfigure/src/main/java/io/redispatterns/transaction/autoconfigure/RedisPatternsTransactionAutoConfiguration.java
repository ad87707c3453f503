package io.redispatterns.transaction.autoconfigure;

import java.time.Duration;
import java.util.Collection;

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
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
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
@EnableConfigurationProperties(RedisPatternsTransactionProperties.class)
public final class RedisPatternsTransactionAutoConfiguration {

	static final String PREFIX = "redis-patterns.transaction.";

	@Bean
	@ConditionalOnMissingBean(RedisTransactions.class)
	RedisTransactions redisPatternsTransactions(LettuceConnectionFactory connectionFactory,
			RedisPatternsTransactionProperties properties, ObjectProvider<TransactionMetrics> metrics,
			ObjectProvider<DataRedisConnectionDetails> connectionDetails) {
		TransactionSettings settings = settings(properties);
		DataRedisConnectionDetails details = connectionDetails.getIfAvailable();
		if (details != null && details.getMasterReplica() != null) {
			return new StaticMasterReplicaTransactions();
		}
		return new LettuceRedisTransactions(connectionFactory, settings,
				metrics.getIfAvailable(() -> TransactionMetrics.NONE));
	}

	static TransactionSettings settings(RedisPatternsTransactionProperties properties) {
		if (properties.getMaxAttempts() < 1) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "max-attempts", properties.getMaxAttempts(),
					"1 or more attempts");
		}
		if (properties.getConnections() < 1) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + "connections", properties.getConnections(),
					"1 or more connections");
		}
		RedisPatternsTransactionProperties.Backoff backoff = properties.getBackoff();
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

	/**
	 * Transactions refused on a static master/replica setup: {@code WATCH}, reads and {@code EXEC}
	 * must all reach the master on one connection, which Lettuce's master/replica connection does not
	 * promise, and the connection factory does not expose the nodes to open one of our own.
	 */
	private static final class StaticMasterReplicaTransactions implements RedisTransactions {

		@Override
		public <T> T optimistic(Collection<String> keys, TransactionCallback<T> callback) {
			throw new IllegalStateException("Optimistic transactions do not run on a static master/replica setup "
					+ "(spring.data.redis.masterreplica.nodes): they need one connection to the master");
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
