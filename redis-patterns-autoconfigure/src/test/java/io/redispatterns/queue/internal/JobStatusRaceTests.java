package io.redispatterns.queue.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.JobOptions;
import io.redispatterns.queue.JobState;
import io.redispatterns.queue.JobStatus;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisProxy;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code status} reads a job in two steps (its hash, then its lease in the active set, since a lease writes
 * nothing to the hash): a job that completes between the two must never be reported as waiting.
 */
class JobStatusRaceTests {

	static final StandaloneRedis deployment = (StandaloneRedis) EmbeddedRedis.shared(RedisTopology.STANDALONE);

	private final QueueKeys keys = new QueueKeys(new RedisKeys("status-race"));

	@Test
	void aJobThatCompletesWhileItsStatusIsReadIsNeverReportedAsWaiting() throws Exception {
		LettuceConnectionFactory direct = factory(deployment.node().host(), deployment.node().port());
		try (RedisProxy proxy = RedisProxy.start(deployment.node())) {
			LettuceConnectionFactory slow = factory(proxy.host(), proxy.port());
			try {
				JsonCodec codec = new JsonCodec(JsonMapper.builder().build());
				RedisJobQueues jobs = new RedisJobQueues(new StringRedisTemplate(direct), this.keys, codec, QueueMetrics.NONE);
				RedisJobQueues observer = new RedisJobQueues(new StringRedisTemplate(slow), this.keys, codec,
						QueueMetrics.NONE);
				JobId id = jobs.enqueue("q", "default", "payload", JobOptions.defaults().immediately());
				LuaScriptRunner scripts = new LuaScriptRunner(direct);
				List<?> taken = scripts.run(QueueScripts.TAKE,
						List.of(this.keys.waiting("q"), this.keys.delayed("q"), this.keys.active("q"),
								this.keys.marker("q"), this.keys.meta("q"), this.keys.take("q", "w1")),
						this.keys.base("q"), "1", "w1:1", "30000");
				assertThat(taken.get(2)).isEqualTo(id.value());
				assertThat(observer.status("q", id).state()).isEqualTo(JobState.ACTIVE);

				proxy.count("HGETALL");
				proxy.latency(Duration.ofMillis(500));
				CompletableFuture<JobStatus> status = CompletableFuture.supplyAsync(() -> observer.status("q", id));
				// the hash was read (running: it reads as waiting); the lease lookup is still on its way
				await().atMost(Duration.ofSeconds(10)).until(() -> proxy.forwardedCount("HGETALL") >= 1);
				scripts.run(QueueScripts.COMPLETE,
						List.of(this.keys.job("q", id.value()), this.keys.active("q"), this.keys.completed("q"),
								this.keys.waiting("q"), this.keys.delayed("q"), this.keys.meta("q")),
						this.keys.base("q"), id.value(), String.valueOf(taken.get(11)), "\"ok\"", "100", "60000", "100",
						"0", "", "30000", "0", "", "1", String.valueOf(taken.get(12)));

				assertThat(status.get().state()).isIn(JobState.ACTIVE, JobState.COMPLETED);
			}
			finally {
				slow.destroy();
			}
		}
		finally {
			direct.destroy();
		}
	}

	private static LettuceConnectionFactory factory(String host, int port) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
