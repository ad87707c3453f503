package io.redispatterns.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@WithRedis
@SpringBootTest
class WithRedisSpringBootTest {

	@Autowired
	StringRedisTemplate template;

	@Autowired
	DataRedisConnectionDetails connectionDetails;

	StandaloneRedis redis;

	@Test
	void autoConfiguredTemplateTalksToTheDeployment() {
		this.template.opsForValue().set("spring-boot-test", "works");
		assertThat(this.redis.node().<String>execute((commands) -> commands.get("spring-boot-test"))).isEqualTo("works");
		assertThat(this.connectionDetails.getStandalone().getPort()).isEqualTo(this.redis.node().port());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Config {

	}

}
