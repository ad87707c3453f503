package io.redispatterns.core.autoconfigure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.resource.Delay;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Makes the Lettuce client Spring Boot builds fail fast and recover fast when Redis is gone:
 * a bounded command and connect timeout where the application set none, and a capped reconnect
 * back-off. Lettuce's disconnected behaviour is kept by default: commands issued while the
 * connection is down wait for the reconnect (at most the command timeout), and commands in flight
 * when it drops are re-sent after the reconnect, which the library's scripts are written to
 * survive. {@code redis-patterns.client.reject-while-disconnected=true} fails both at once
 * instead. The customizers run first, so an application's own customizers override them. Turn
 * everything off with {@code redis-patterns.client.enabled=false}.
 */
@AutoConfiguration(before = DataRedisAutoConfiguration.class)
@ConditionalOnClass({ RedisClient.class, LettuceClientConfigurationBuilderCustomizer.class })
@ConditionalOnBooleanProperty(name = "redis-patterns.client.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ RedisClientProperties.class, DataRedisProperties.class })
public final class RedisClientDefaultsAutoConfiguration {

	static final String PREFIX = "redis-patterns.client";

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	LettuceClientConfigurationBuilderCustomizer redisPatternsCommandTimeout(RedisClientProperties client,
			DataRedisProperties redis) {
		Duration timeout = positive(PREFIX + ".command-timeout", client.getCommandTimeout());
		return (builder) -> {
			if (redis.getTimeout() == null) {
				builder.commandTimeout(timeout);
			}
		};
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	LettuceClientOptionsBuilderCustomizer redisPatternsClientOptions(RedisClientProperties client,
			DataRedisProperties redis) {
		Duration connectTimeout = positive(PREFIX + ".connect-timeout", client.getConnectTimeout());
		return (builder) -> {
			if (redis.getConnectTimeout() == null) {
				builder.socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build());
			}
			if (client.isRejectWhileDisconnected()) {
				builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
			}
		};
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	ClientResourcesBuilderCustomizer redisPatternsReconnectDelay(RedisClientProperties client) {
		Duration max = positive(PREFIX + ".reconnect.max", client.getReconnect().getMax());
		// exponential from 10 ms, capped: a brief blip reconnects at once, an outage is probed every `max`
		Duration lower = Duration.ofMillis(Math.min(10, max.toMillis()));
		return (builder) -> builder.reconnectDelay(Delay.exponential(lower, max, 2, TimeUnit.MILLISECONDS));
	}

	private static Duration positive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidRedisPatternsPropertyException(property, value, "a positive duration");
		}
		return value;
	}

}
