package io.redispatterns.core.autoconfigure;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

class RedisClientDefaultsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(RedisClientDefaultsAutoConfiguration.class, DataRedisAutoConfiguration.class));

	@Test
	void boundsTheCommandAndConnectTimeoutsWhenTheApplicationSetsNone() {
		this.runner.run((context) -> {
			LettuceClientConfiguration configuration = clientConfiguration(context.getBean(LettuceConnectionFactory.class));
			assertThat(configuration.getCommandTimeout()).isEqualTo(Duration.ofSeconds(2));
			ClientOptions options = configuration.getClientOptions().orElseThrow();
			assertThat(options.getSocketOptions().getConnectTimeout()).isEqualTo(Duration.ofSeconds(1));
			// Lettuce's default: commands wait for the reconnect and in-flight ones are re-sent
			assertThat(options.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.DEFAULT);
		});
	}

	@Test
	void keepsTheApplicationsOwnTimeouts() {
		this.runner.withPropertyValues("spring.data.redis.timeout=7s", "spring.data.redis.connect-timeout=3s")
			.run((context) -> {
				LettuceClientConfiguration configuration = clientConfiguration(
						context.getBean(LettuceConnectionFactory.class));
				assertThat(configuration.getCommandTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(configuration.getClientOptions().orElseThrow().getSocketOptions().getConnectTimeout())
					.isEqualTo(Duration.ofSeconds(3));
			});
	}

	@Test
	void appliesTheLibrarysPropertiesAndTheRejectOption() {
		this.runner
			.withPropertyValues("redis-patterns.client.command-timeout=750ms",
					"redis-patterns.client.reject-while-disconnected=true")
			.run((context) -> {
				LettuceClientConfiguration configuration = clientConfiguration(
						context.getBean(LettuceConnectionFactory.class));
				assertThat(configuration.getCommandTimeout()).isEqualTo(Duration.ofMillis(750));
				assertThat(configuration.getClientOptions().orElseThrow().getDisconnectedBehavior())
					.isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
			});
	}

	@Test
	void capsTheReconnectDelay() {
		this.runner.run((context) -> {
			io.lettuce.core.resource.ClientResources resources = context
				.getBean(io.lettuce.core.resource.ClientResources.class);
			io.lettuce.core.resource.Delay delay = resources.reconnectDelay();
			assertThat(delay.createDelay(1)).isLessThanOrEqualTo(Duration.ofMillis(500));
			assertThat(delay.createDelay(30)).isEqualTo(Duration.ofMillis(500));
		});
	}

	@Test
	void canBeTurnedOff() {
		this.runner.withPropertyValues("redis-patterns.client.enabled=false").run((context) -> {
			assertThat(clientConfiguration(context.getBean(LettuceConnectionFactory.class)).getCommandTimeout())
				.isEqualTo(Duration.ofSeconds(60));
		});
	}

	@Test
	void aNonPositiveTimeoutFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis-patterns.client.command-timeout=0s")
			.run((context) -> assertThat(context).getFailure()
				.hasRootCauseInstanceOf(InvalidRedisPatternsPropertyException.class)
				.rootCause()
				.hasMessageContaining("redis-patterns.client.command-timeout"));
	}

	private static LettuceClientConfiguration clientConfiguration(LettuceConnectionFactory factory) {
		return factory.getClientConfiguration();
	}

}
