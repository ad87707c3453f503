package io.redispatterns.transaction.internal;

import java.util.UUID;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client of transaction connections: the application's configuration and resources, without
 * auto-reconnect.
 */
@WithRedis
class NonReconnectingClientsTests {

	StandaloneRedis redis;

	@Test
	void keepsTheApplicationsConfigurationAndResourcesButNeverReconnects() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + this.redis.node().host(),
					"spring.data.redis.port=" + this.redis.node().port(), "spring.data.redis.database=3",
					"spring.data.redis.client-name=tx-client-test")
			.run((context) -> {
				LettuceConnectionFactory application = context.getBean(LettuceConnectionFactory.class);
				LettuceConnectionFactory dedicated = NonReconnectingClients.create(application);
				try {
					AbstractRedisClient client = dedicated.getRequiredNativeClient();
					assertThat(client.getOptions().isAutoReconnect()).isFalse();
					assertThat(client.getOptions().getDisconnectedBehavior())
						.isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
					assertThat(client.getOptions().getTimeoutOptions())
						.isEqualTo(application.getRequiredNativeClient().getOptions().getTimeoutOptions());
					assertThat(client.getResources()).isSameAs(application.getRequiredNativeClient().getResources());
					String key = "tx:dedicated:" + UUID.randomUUID();
					try (StatefulRedisConnection<String, String> connection = ((RedisClient) client)
						.connect(StringCodec.UTF8)) {
						assertThat(connection.sync().clientGetname()).isEqualTo("tx-client-test");
						connection.sync().set(key, "database 3");
					}
					assertThat(context.getBean(StringRedisTemplate.class).opsForValue().get(key))
						.as("written in the application's database").isEqualTo("database 3");
				}
				finally {
					dedicated.destroy();
				}
				assertThat(application.getRequiredNativeClient().getResources().eventExecutorGroup().isShutdown())
					.as("the shared resources outlive the dedicated client")
					.isFalse();
			});
	}

}
