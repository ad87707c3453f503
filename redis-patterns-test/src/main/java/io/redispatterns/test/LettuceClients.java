package io.redispatterns.test;

import java.time.Duration;
import java.util.function.Function;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import org.jspecify.annotations.Nullable;

/**
 * One Lettuce {@link RedisClient} per JVM for the short-lived admin connections this module opens
 * (cluster forming, Sentinel queries, {@link RedisNode#execute}). Its threads are daemon threads.
 */
final class LettuceClients {

	static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

	private static @Nullable RedisClient client;

	private LettuceClients() {
	}

	static synchronized RedisClient client() {
		if (client == null) {
			client = RedisClient.create();
		}
		return client;
	}

	static <T> T execute(RedisURI uri, Function<RedisCommands<String, String>, T> action) {
		try (StatefulRedisConnection<String, String> connection = client().connect(uri)) {
			return action.apply(connection.sync());
		}
	}

	static <T> T executeOnSentinel(RedisURI uri, Function<RedisSentinelCommands<String, String>, T> action) {
		try (StatefulRedisSentinelConnection<String, String> connection = client().connectSentinel(uri)) {
			return action.apply(connection.sync());
		}
	}

	static RedisURI uri(String host, int port) {
		return RedisURI.builder().withHost(host).withPort(port).withTimeout(COMMAND_TIMEOUT).build();
	}

}
