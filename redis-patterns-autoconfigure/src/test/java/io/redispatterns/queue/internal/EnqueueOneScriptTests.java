package io.redispatterns.queue.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flat script for one plain job ({@code enqueue-one.lua}) against the composed enqueue script's branch for such
 * a job: random jobs (payloads and headers below and above the 64-byte chunk size, priorities 0 and higher, names,
 * attempts, back-off) are each written once by both scripts with the same id and clock, to two queues, and every
 * key of both queues must then hold the same state, and both replies must be equal. Now and then both queues are
 * drained (as workers would), so the marker's "nothing was waiting" case comes up as well.
 */
class EnqueueOneScriptTests {

	static final StandaloneRedis deployment = (StandaloneRedis) EmbeddedRedis.shared(RedisTopology.STANDALONE);

	private final QueueKeys keys = new QueueKeys(new RedisKeys("one"));

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate redis;

	private LuaScriptRunner scripts;

	@BeforeEach
	void connect() {
		deployment.flushAll();
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(deployment.node().host(), deployment.node().port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.redis = new StringRedisTemplate(this.connectionFactory);
		this.scripts = new LuaScriptRunner(this.connectionFactory);
	}

	@AfterEach
	void disconnect() {
		this.connectionFactory.destroy();
	}

	@Test
	void theFlatScriptWritesAndAnswersExactlyLikeTheComposedOne() {
		long seed = System.nanoTime();
		Random random = new Random(seed);
		long clock = 1_700_000_000_000L;
		for (int step = 0; step < 300; step++) {
			if (random.nextInt(6) == 0) {
				for (String queue : List.of("composed", "flat")) {
					this.redis.delete(List.of(this.keys.waiting(queue), this.keys.ready(queue),
							this.keys.marker(queue)));
				}
			}
			clock += random.nextInt(3);
			String id = "job-" + step;
			String name = random.nextBoolean() ? "default" : "kind" + random.nextInt(3);
			String payload = text(random, random.nextInt(4) == 0 ? 64 * (1 + random.nextInt(4)) + random.nextInt(3) - 1
					: random.nextInt(200));
			String priority = random.nextBoolean() ? "0" : Integer.toString(random.nextInt(1_000_001));
			String max = random.nextBoolean() ? "0" : Integer.toString(1 + random.nextInt(9));
			String backoff = random.nextBoolean() ? "" : "e:" + random.nextInt(1000) + ":2.0:60000";
			String headers = random.nextBoolean() ? "" : "{\"traceparent\":\"" + text(random, random.nextInt(150)) + "\"}";
			String context = String.format("seed %d, step %d", seed, step);
			List<?> composed = this.scripts.run(QueueScripts.ENQUEUE, keysOf("composed"), this.keys.base("composed"),
					"1", id, name, payload, priority, "0", max, backoff, "", headers, "", "0", Long.toString(clock),
					"1");
			List<String> flatArgs = new ArrayList<>(
					List.of(id, Long.toString(clock), payload, headers, name, priority, max, backoff));
			List<String> defaults = List.of("", "", "", "", "default", "0", "0", "");
			// the library leaves trailing defaults off; the script takes them either way
			while (random.nextBoolean() && flatArgs.size() > 3
					&& flatArgs.get(flatArgs.size() - 1).equals(defaults.get(flatArgs.size() - 1))) {
				flatArgs.remove(flatArgs.size() - 1);
			}
			List<?> flat = this.scripts.run(QueueScripts.ENQUEUE_ONE, keysOf("flat"), flatArgs.toArray(String[]::new));
			assertThat(flat).as(context).isEqualTo(composed);
			assertThat(state("flat", id)).as(context).isEqualTo(state("composed", id));
		}
	}

	@Test
	void theFlatScriptSentTwiceWritesNothingTwice() {
		for (String priority : List.of("0", "7")) {
			String id = "again-" + priority;
			String[] args = { id, "1700000000000", "x".repeat(100), "{\"h\":1}", "default", priority };
			List<?> first = this.scripts.run(QueueScripts.ENQUEUE_ONE, keysOf("q"), args);
			Map<String, Object> once = state("q", id);
			// a worker took the job meanwhile: the re-sent script must not add it to waiting again
			this.redis.delete(List.of(this.keys.waiting("q"), this.keys.ready("q"), this.keys.marker("q")));
			List<?> second = this.scripts.run(QueueScripts.ENQUEUE_ONE, keysOf("q"), args);
			assertThat(second).isEqualTo(first).isEqualTo(List.of(id));
			Map<String, Object> twice = state("q", id);
			assertThat(twice.get("job")).isEqualTo(once.get("job"));
			assertThat(twice.get("meta")).isEqualTo(once.get("meta"));
			assertThat(twice.get("ready")).isEqualTo(List.of());
			assertThat(twice.get("wait")).isEqualTo("[]");
			assertThat(twice.get("marker")).isEqualTo("[]");
		}
	}

	private List<String> keysOf(String queue) {
		return List.of(this.keys.waiting(queue), this.keys.delayed(queue), this.keys.marker(queue),
				this.keys.meta(queue));
	}

	private Map<String, Object> state(String queue, String id) {
		String base = this.keys.base(queue);
		return Map.of("job", this.redis.opsForHash().entries(base + ":j:" + id), "ready",
				this.redis.opsForList().range(this.keys.ready(queue), 0, -1), "wait",
				String.valueOf(this.redis.opsForZSet().rangeWithScores(this.keys.waiting(queue), 0, -1)), "marker",
				String.valueOf(this.redis.opsForZSet().rangeWithScores(this.keys.marker(queue), 0, -1)), "delayed",
				String.valueOf(this.redis.opsForZSet().rangeWithScores(this.keys.delayed(queue), 0, -1)), "meta",
				this.redis.opsForHash().entries(this.keys.meta(queue)));
	}

	private static String text(Random random, int length) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			text.append((char) ('a' + random.nextInt(26)));
		}
		return text.toString();
	}

}
