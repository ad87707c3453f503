package io.redispatterns.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.JsonCodec;
import io.redispatterns.stream.StreamPublisher;
import io.redispatterns.stream.internal.DefaultStreamPublisher;
import io.redispatterns.stream.internal.StreamKeys;
import io.redispatterns.stream.internal.StreamMetrics;
import io.redispatterns.test.StandaloneRedis;
import org.redisson.Redisson;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Publishing one small event to a stream, against the raw ceiling {@code XADD MAXLEN ~ 100000} of the same JSON
 * payload through Spring Data Redis ({@code StringRedisTemplate}, Boot's one Lettuce connection): the
 * {@link StreamPublisher} as configured by default (a plain {@code XADD}), the replay-safe publish
 * ({@code publish.lua} with a generated key per publish), and Redisson's {@code RStream.add}.
 */
final class StreamPublishBenchmark {

	static final int MAX_LENGTH = 100_000;

	record OrderPlaced(String orderId, String sku, int quantity) {
	}

	private StreamPublishBenchmark() {
	}

	static String run(StandaloneRedis redis, CommandCounter counter) {
		try (ConfigurableApplicationContext context = BenchmarkApplication.start(redis)) {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			StreamKeys keys = context.getBean(StreamKeys.class);
			JsonCodec codec = context.getBean(JsonCodec.class);
			StreamPublisher replaySafe = new DefaultStreamPublisher(template, keys, codec, (stream) -> MAX_LENGTH,
					Duration.ofMinutes(10), Duration.ofMinutes(2), StreamMetrics.NONE);
			Config config = new Config();
			config.useSingleServer().setAddress(redis.node().uri());
			RedissonClient redisson = Redisson.create(config);
			try {
				OrderPlaced event = new OrderPlaced("o-1234567", "sku-42", 3);
				String json = new String(codec.encode(event), StandardCharsets.UTF_8);
				XAddOptions trim = XAddOptions.maxlen(MAX_LENGTH).approximateTrimming(true);
				Harness.Case ceiling = new Harness.Case("ceiling: XADD MAXLEN ~ (StringRedisTemplate)", "",
						(thread) -> {
							byte[] key = ("bench-raw-" + thread).getBytes(StandardCharsets.UTF_8);
							Map<byte[], byte[]> body = new LinkedHashMap<>();
							body.put("payload".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
							return (i) -> template.execute((RedisCallback<RecordId>) (connection) -> connection
								.streamCommands()
								.xAdd(StreamRecords.rawBytes(body).withStreamKey(key), trim)) != null;
						});
				List<Harness.Case> cases = List.of(
						new Harness.Case("redis-patterns StreamPublisher.publish (default: XADD)", "",
								(thread) -> (i) -> publisher.publish("bench-rp-" + thread, event) != null),
						new Harness.Case("redis-patterns StreamPublisher.publish, replay-safe-publish=true", "",
								(thread) -> (i) -> replaySafe.publish("bench-safe-" + thread, event) != null),
						new Harness.Case("Redisson RStream.add(entry, trimNonStrict().maxLen)", "", (thread) -> {
							RStream<String, String> stream = redisson.getStream("bench-redisson-" + thread,
									StringCodec.INSTANCE);
							return (i) -> stream.add(StreamAddArgs.entry("payload", json)
								.trimNonStrict()
								.maxLen(MAX_LENGTH)
								.noLimit()) != null;
						}));
				return Harness.ceilingTable("Stream publish of one small event (JSON ~50 B), ratio to the raw ceiling "
						+ "XADD MAXLEN ~", Harness.measureAgainstCeiling(ceiling, cases, counter));
			}
			finally {
				redisson.shutdown();
			}
		}
	}

}
