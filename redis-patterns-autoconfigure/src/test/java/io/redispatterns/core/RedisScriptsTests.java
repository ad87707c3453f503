package io.redispatterns.core;

import java.util.List;

import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@WithRedis(topology = RedisTopology.STANDALONE)
class RedisScriptsTests {

	private final RedisScript<Long> script = RedisScripts.load(RedisScriptsTests.class, "incr-by.lua", Long.class);

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate redis;

	@BeforeEach
	void connect(StandaloneRedis deployment) {
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(deployment.node().host(), deployment.node().port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.redis = new StringRedisTemplate(this.connectionFactory);
		this.redis.delete("test:scripts:counter");
	}

	@AfterEach
	void disconnect() {
		this.connectionFactory.destroy();
	}

	@Test
	void runsAScriptFromTheClasspathBySha() {
		assertThat(this.redis.execute(this.script, List.of("test:scripts:counter"), "5")).isEqualTo(5L);
		assertThat(this.redis.execute(this.script, List.of("test:scripts:counter"), "2")).isEqualTo(7L);
		assertThat(this.redis.getExpire("test:scripts:counter")).isPositive();
		List<Boolean> loaded = this.redis.execute(
				(org.springframework.data.redis.core.RedisCallback<List<Boolean>>) (connection) -> connection
					.scriptingCommands()
					.scriptExists(this.script.getSha1()));
		assertThat(loaded).containsExactly(true);
	}

	@Test
	void reloadsTheScriptAfterTheServerForgotIt() {
		this.redis.execute(this.script, List.of("test:scripts:counter"), "1");
		this.redis.execute((org.springframework.data.redis.core.RedisCallback<Object>) (connection) -> {
			connection.scriptingCommands().scriptFlush();
			return null;
		});
		assertThat(this.redis.execute(this.script, List.of("test:scripts:counter"), "1")).isEqualTo(2L);
	}

	@Test
	void missingScriptFailsWithItsPath() {
		assertThatIllegalStateException().isThrownBy(() -> RedisScripts.load(RedisScriptsTests.class, "nope.lua", Long.class))
			.withMessageContaining("io/redispatterns/core/nope.lua");
	}

}
