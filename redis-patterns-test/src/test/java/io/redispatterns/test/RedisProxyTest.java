package io.redispatterns.test;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisProxyTest {

	private static StandaloneRedis redis;

	private static RedisClient client;

	@BeforeAll
	static void start() {
		redis = EmbeddedRedis.startStandaloneServer(0);
		client = RedisClient.create();
	}

	@AfterAll
	static void stop() {
		client.shutdown();
		redis.close();
	}

	private StatefulRedisConnection<String, String> connect(RedisProxy proxy) {
		RedisURI uri = RedisURI.create(proxy.host(), proxy.port());
		uri.setTimeout(Duration.ofSeconds(2));
		return client.connect(uri);
	}

	private static String get(String key) {
		return redis.node().execute((commands) -> commands.get(key));
	}

	@Test
	void forwardsCommandsBothWays() {
		try (RedisProxy proxy = RedisProxy.start(redis.node());
				StatefulRedisConnection<String, String> connection = connect(proxy)) {
			connection.sync().set("proxy:greeting", "hello");
			assertThat(get("proxy:greeting")).isEqualTo("hello");
		}
	}

	@Test
	void droppedReplyWithOrderlyCloseMakesLettuceResendTheCommand() {
		try (RedisProxy proxy = RedisProxy.start(redis.node());
				StatefulRedisConnection<String, String> connection = connect(proxy)) {
			RedisCommands<String, String> commands = connection.sync();
			commands.ping();
			proxy.dropReplyOnce("proxy:replayed-counter", RedisProxy.Close.FIN);
			Long value = commands.incr("proxy:replayed-counter");
			assertThat(proxy.dropFired()).isTrue();
			assertThat(proxy.forwardedCount("proxy:replayed-counter")).isEqualTo(2);
			assertThat(value).isEqualTo(2L);
			assertThat(get("proxy:replayed-counter")).isEqualTo("2");
		}
	}

	@Test
	void droppedReplyWithResetFailsTheInFlightCommandAfterItRan() {
		try (RedisProxy proxy = RedisProxy.start(redis.node());
				StatefulRedisConnection<String, String> connection = connect(proxy)) {
			RedisCommands<String, String> commands = connection.sync();
			commands.ping();
			proxy.dropReplyOnce("proxy:reset-counter", RedisProxy.Close.RST);
			assertThatThrownBy(() -> commands.incr("proxy:reset-counter")).isInstanceOf(RedisException.class);
			assertThat(get("proxy:reset-counter")).isEqualTo("1");
		}
	}

	@Test
	void blackHoleLetsCommandsTimeOutAndHealingRestoresTraffic() {
		try (RedisProxy proxy = RedisProxy.start(redis.node());
				StatefulRedisConnection<String, String> connection = connect(proxy)) {
			RedisCommands<String, String> commands = connection.sync();
			connection.setTimeout(Duration.ofMillis(300));
			commands.ping();
			proxy.blackHole(true);
			assertThatThrownBy(commands::ping).isInstanceOf(RedisCommandTimeoutException.class);
			proxy.heal();
			connection.setTimeout(Duration.ofSeconds(2));
			assertThat(commands.ping()).isEqualTo("PONG");
		}
	}

	@Test
	void refusingClosesTheDoorAndReopensItOnTheSamePort() {
		try (RedisProxy proxy = RedisProxy.start(redis.node())) {
			int port = proxy.port();
			proxy.refuse(true);
			assertThatThrownBy(() -> connect(proxy)).isInstanceOf(RedisException.class);
			proxy.refuse(false);
			try (StatefulRedisConnection<String, String> connection = connect(proxy)) {
				assertThat(connection.sync().ping()).isEqualTo("PONG");
			}
			assertThat(proxy.port()).isEqualTo(port);
		}
	}

}
