package io.redispatterns.test;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@WithRedis(shared = false)
class UnsharedDeploymentTest {

	static StandaloneRedis redis;

	@AfterAll
	static void deploymentIsStillOpenInAfterAll() {
		assertThat(redis.isClosed()).isFalse();
	}

	@Test
	void getsItsOwnDeployment() {
		assertThat(redis).isNotSameAs(EmbeddedRedis.shared(RedisTopology.STANDALONE));
		redis.node().kill();
		redis.node().restart();
		assertThat(redis.node().isRunning()).isTrue();
	}

}
