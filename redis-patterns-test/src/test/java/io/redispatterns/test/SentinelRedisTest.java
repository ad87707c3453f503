package io.redispatterns.test;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class SentinelRedisTest {

	private static SentinelRedis redis;

	@BeforeAll
	static void start() {
		redis = EmbeddedRedis.sentinel();
	}

	@AfterAll
	static void stop() {
		redis.close();
	}

	@Test
	void startsWithThreeSentinelsThatAgreeOnTheMaster() {
		assertThat(redis.sentinels()).hasSize(3);
		assertThat(redis.master()).isSameAs(redis.dataNodes().get(0));
		assertThat(redis.replica()).isSameAs(redis.dataNodes().get(1));
		assertThat(redis.springProperties()).containsEntry("spring.data.redis.sentinel.master", "mymaster");
		assertThat(redis.connectionDetails().getSentinel().getNodes()).hasSize(3);
	}

	@Test
	void springClientFollowsTheMasterAfterItIsKilled() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, redis::connectionDetails)
			.run((context) -> {
				assertThat(context.getBean(RedisConnectionFactory.class)).isInstanceOfSatisfying(LettuceConnectionFactory.class,
						(factory) -> assertThat(factory.getSentinelConfiguration()).isNotNull());
				StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
				template.opsForValue().set("before", "1");
				RedisNode oldMaster = redis.master();
				assertThat(oldMaster.<String>execute((commands) -> commands.get("before"))).isEqualTo("1");

				oldMaster.kill();
				RedisNode newMaster = redis.awaitMasterOtherThan(oldMaster);

				assertThat(newMaster).isNotSameAs(oldMaster);
				writeWithRetries(template, "after", "2", Duration.ofSeconds(30));
				assertThat(newMaster.<String>execute((commands) -> commands.get("after"))).isEqualTo("2");
				assertThat(newMaster.<String>execute((commands) -> commands.get("before"))).as("replicated before the kill")
					.isEqualTo("1");

				oldMaster.restart();
			});
	}

	@Test
	void failoverPromotesTheReplica() {
		RedisNode before = redis.master();
		RedisNode after = redis.failover();
		assertThat(after).isNotSameAs(before);
		assertThat(redis.master()).isSameAs(after);
		assertThat(after.execute((commands) -> commands.role()).get(0)).isEqualTo("master");
	}

	private static void writeWithRetries(StringRedisTemplate template, String key, String value, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			try {
				template.opsForValue().set(key, value);
				return;
			}
			catch (RuntimeException ex) {
				if (System.nanoTime() > deadline) {
					throw ex;
				}
				Await.sleep(200);
			}
		}
	}

}
