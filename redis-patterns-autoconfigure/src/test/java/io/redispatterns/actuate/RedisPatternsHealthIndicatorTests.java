package io.redispatterns.actuate;

import java.util.Map;

import io.redispatterns.actuate.autoconfigure.RedisPatternsEndpointAutoConfiguration;
import io.redispatterns.actuate.autoconfigure.RedisPatternsHealthAutoConfiguration;
import io.redispatterns.core.PatternEndpointDetails;
import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class RedisPatternsHealthIndicatorTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisPatternsAutoConfiguration.class,
				RedisPatternsHealthAutoConfiguration.class, RedisPatternsEndpointAutoConfiguration.class))
		.withPropertyValues("redis-patterns.key-prefix=health-test", "spring.data.redis.timeout=2s",
				"spring.data.redis.connect-timeout=2s");

	private ApplicationContextRunner connectedTo(RedisDeployment deployment) {
		return this.runner.withBean(DataRedisConnectionDetails.class, deployment::connectionDetails);
	}

	@Test
	void standaloneIsUpWithServerDetails() {
		connectedTo(EmbeddedRedis.shared(RedisTopology.STANDALONE)).run((context) -> {
			Health health = context.getBean(RedisPatternsHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("mode", "standalone")
				.containsEntry("role", "master")
				.containsEntry("keyPrefix", "health-test")
				.containsKeys("pingLatencyMs", "version", "usedMemory", "usedMemoryBytes", "clockSkewMs");
			assertThat((Double) health.getDetails().get("pingLatencyMs")).isNotNegative();
			assertThat(health.getDetails().get("clockSkewMs")).isInstanceOf(Long.class);
			assertThat((String) health.getDetails().get("version")).matches("\\d+\\.\\d+\\.\\d+");
		});
	}

	@Test
	void sentinelModeReportsTheMasterItReached() {
		connectedTo(EmbeddedRedis.shared(RedisTopology.SENTINEL)).run((context) -> {
			Health health = context.getBean(RedisPatternsHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("mode", "sentinel")
				.containsEntry("role", "master")
				.containsEntry("connectedReplicas", 1L);
		});
	}

	@Test
	void clusterModeCountsTheMasters() {
		connectedTo(EmbeddedRedis.shared(RedisTopology.CLUSTER)).run((context) -> {
			Health health = context.getBean(RedisPatternsHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("mode", "cluster")
				.containsEntry("masters", 3)
				.containsEntry("role", "master")
				.containsKeys("version", "usedMemory", "clockSkewMs");
		});
	}

	@Test
	void isDownWhenRedisIsGone() {
		try (StandaloneRedis redis = EmbeddedRedis.startStandaloneServer(0)) {
			connectedTo(redis).run((context) -> {
				RedisPatternsHealthIndicator indicator = context.getBean(RedisPatternsHealthIndicator.class);
				assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
				redis.node().kill();
				assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
			});
		}
	}

	@Test
	void aclUserWithoutInfoOrTimeStillGetsAReport() {
		StandaloneRedis redis = (StandaloneRedis) EmbeddedRedis.shared(RedisTopology.STANDALONE);
		redis.node()
			.commands((commands) -> commands.aclSetuser("health-limited",
					io.lettuce.core.AclSetuserArgs.Builder.on()
						.addPassword("secret")
						.allKeys()
						.allChannels()
						.allCommands()
						.removeCommand(io.lettuce.core.protocol.CommandType.INFO)
						.removeCommand(io.lettuce.core.protocol.CommandType.TIME)));
		this.runner
			.withPropertyValues("spring.data.redis.host=" + redis.node().host(),
					"spring.data.redis.port=" + redis.node().port(), "spring.data.redis.username=health-limited",
					"spring.data.redis.password=secret")
			.run((context) -> {
				Health health = context.getBean(RedisPatternsHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsKey("pingLatencyMs").doesNotContainKey("version");
				assertThat((String) health.getDetails().get("info")).startsWith("unavailable");
				assertThat((String) health.getDetails().get("clockSkewMs")).startsWith("unavailable");
			});
	}

	@Test
	void aPatternThatIsDownMakesTheContributorDown() {
		PatternHealthDetails stopped = new PatternHealthDetails() {

			@Override
			public String patternName() {
				return "streams";
			}

			@Override
			public Health health() {
				return Health.down().withDetail("container", "stopped").build();
			}

		};
		connectedTo(EmbeddedRedis.shared(RedisTopology.STANDALONE))
			.withBean("stoppedPattern", PatternHealthDetails.class, () -> stopped)
			.run((context) -> {
				Health health = context.getBean(RedisPatternsHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("streams",
						Map.of("status", "DOWN", "container", "stopped"));
			});
	}

	@Test
	void endpointIsAbsentUnlessExposed() {
		connectedTo(EmbeddedRedis.shared(RedisTopology.STANDALONE))
			.run((context) -> assertThat(context).doesNotHaveBean(RedisPatternsEndpoint.class));
	}

	@Test
	void canBeTurnedOff() {
		connectedTo(EmbeddedRedis.shared(RedisTopology.STANDALONE))
			.withPropertyValues("management.health.redis-patterns.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisPatternsHealthIndicator.class));
	}

	@Test
	void endpointListsPrefixModeAndPatterns() {
		PatternEndpointDetails locks = new PatternEndpointDetails() {

			@Override
			public String patternName() {
				return "lock";
			}

			@Override
			public Map<String, Object> describe() {
				return Map.of("held", 0);
			}

		};
		connectedTo(EmbeddedRedis.shared(RedisTopology.STANDALONE))
			.withBean("lockDetails", PatternEndpointDetails.class, () -> locks)
			.withPropertyValues("management.endpoints.web.exposure.include=redispatterns")
			.run((context) -> {
				Map<String, Object> description = context.getBean(RedisPatternsEndpoint.class).describe();
				assertThat(description).containsEntry("keyPrefix", "health-test")
					.containsEntry("mode", "standalone")
					.containsEntry("patterns", Map.of("lock", Map.of("held", 0)));
			});
	}

}
