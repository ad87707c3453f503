package io.redispatterns.test.autoconfigure;

import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class EmbeddedRedisAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(EmbeddedRedisAutoConfiguration.class, DataRedisAutoConfiguration.class));

	@Test
	void startsAServerWhenNoConnectionIsConfigured(CapturedOutput output) {
		StandaloneRedis[] started = new StandaloneRedis[1];
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(StandaloneRedis.class).hasSingleBean(DataRedisConnectionDetails.class);
			StandaloneRedis redis = context.getBean(StandaloneRedis.class);
			started[0] = redis;
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			template.opsForValue().set("dev", "ok");
			assertThat(redis.node().<String>execute((commands) -> commands.get("dev"))).isEqualTo("ok");
			assertThat(output).contains("throw-away development redis-server on port " + redis.node().port())
				.contains("redis-patterns.embedded.enabled=false");
		});
		assertThat(started[0].isClosed()).as("stopped with the context").isTrue();
		assertThat(started[0].node().isRunning()).isFalse();
	}

	@Test
	void backsOffWhenHostIsConfigured() {
		this.runner.withPropertyValues("spring.data.redis.host=redis.example.com")
			.run((context) -> assertThat(context).doesNotHaveBean(StandaloneRedis.class));
	}

	@Test
	void backsOffWhenClusterNodesAreConfigured() {
		this.runner.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:7000")
			.run((context) -> assertThat(context).doesNotHaveBean(StandaloneRedis.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("redis-patterns.embedded.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StandaloneRedis.class)
				.doesNotHaveBean(EmbeddedRedisProperties.class));
	}

	@Test
	void backsOffWhenConnectionDetailsBeanIsDefined() {
		DataRedisConnectionDetails details = new DataRedisConnectionDetails() {

			@Override
			public Standalone getStandalone() {
				return Standalone.of("127.0.0.1", 6379);
			}

		};
		this.runner.withBean(DataRedisConnectionDetails.class, () -> details)
			.run((context) -> assertThat(context).doesNotHaveBean(StandaloneRedis.class)
				.getBean(DataRedisConnectionDetails.class)
				.isSameAs(details));
	}

	@Test
	void usesTheConfiguredPort() {
		int port = freePort();
		this.runner.withPropertyValues("redis-patterns.embedded.port=" + port)
			.run((context) -> assertThat(context.getBean(StandaloneRedis.class).node().port()).isEqualTo(port));
	}

	private static int freePort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
