package io.redispatterns.test;

import io.redispatterns.test.shutdown.ShutdownProbeApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boot's development-time idiom: {@code SpringApplication.from(main).with(EmbeddedRedisConfiguration.class)}
 * runs an application against a throw-away server even when its own configuration names a production Redis.
 */
class EmbeddedRedisConfigurationTest {

	@Test
	void connectionDetailsOfTheEmbeddedServerWinOverTheApplicationsRedisProperties() {
		StandaloneRedis server;
		try (ConfigurableApplicationContext context = SpringApplication.from(EmbeddedRedisConfigurationTest::main)
			.with(EmbeddedRedisConfiguration.class)
			.run("--spring.main.web-application-type=none", "--spring.data.redis.host=redis.production.invalid")
			.getApplicationContext()) {
			server = context.getBean(StandaloneRedis.class);
			assertThat(context.getBeansOfType(StandaloneRedis.class)).as("the auto-configured default backed off").hasSize(1);
			assertThat(context.getBean(DataRedisConnectionDetails.class).getStandalone().getPort())
				.isEqualTo(server.node().port());
			context.getBean(StringRedisTemplate.class).opsForValue().set("dev-time", "ok");
			assertThat(server.node().<String>execute((commands) -> commands.get("dev-time"))).isEqualTo("ok");
		}
		assertThat(server.node().isRunning()).as("stopped with the application").isFalse();
	}

	/** The application's own main, as {@code SpringApplication.from} expects it. */
	static void main(String[] args) {
		SpringApplication.run(ShutdownProbeApplication.class, args);
	}

}
