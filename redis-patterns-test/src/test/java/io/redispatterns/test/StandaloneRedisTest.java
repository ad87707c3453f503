package io.redispatterns.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandaloneRedisTest {

	private static StandaloneRedis redis;

	private static RedisClient client;

	@BeforeAll
	static void start() {
		redis = EmbeddedRedis.startStandaloneServer(0);
		client = RedisClient.create(redis.node().uri());
	}

	@AfterAll
	static void stop() {
		client.shutdown();
		redis.close();
	}

	@Test
	void setAndGetThroughLettuce() {
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			commands.set("greeting", "hello");
			assertThat(commands.get("greeting")).isEqualTo("hello");
		}
	}

	@Test
	void evalRunsLuaScripts() {
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			Long counter = connection.sync().eval("return redis.call('INCRBY', KEYS[1], ARGV[1])", ScriptOutputType.INTEGER,
					new String[] { "counter" }, "5");
			assertThat(counter).isEqualTo(5L);
		}
	}

	@Test
	void serverRunsOnLoopbackWithoutPersistence() {
		List<String> save = redis.node().execute((commands) -> commands.configGet("save")).values().stream().toList();
		assertThat(save).containsExactly("");
		assertThat(redis.node().uri()).isEqualTo("redis://127.0.0.1:" + redis.node().port());
		assertThat(redis.springProperties()).containsEntry("spring.data.redis.port", Integer.toString(redis.node().port()));
		assertThat(redis.connectionDetails().getStandalone().getPort()).isEqualTo(redis.node().port());
	}

	@Test
	void restartKeepsThePort() {
		try (StandaloneRedis own = EmbeddedRedis.startStandaloneServer(0)) {
			int port = own.node().port();
			own.node().commands((commands) -> commands.set("k", "v"));
			own.node().restart();
			assertThat(own.node().port()).isEqualTo(port);
			assertThat(own.node().isRunning()).isTrue();
			assertThat(own.node().<String>execute((commands) -> commands.ping())).isEqualTo("PONG");
			assertThat(own.node().<String>execute((commands) -> commands.get("k"))).as("nothing is persisted").isNull();
		}
	}

	@Test
	void killedNodeIsNotRunningUntilRestarted() {
		try (StandaloneRedis own = EmbeddedRedis.startStandaloneServer(0)) {
			own.node().kill();
			assertThat(own.node().isRunning()).isFalse();
			own.node().restart();
			assertThat(own.node().<String>execute((commands) -> commands.ping())).isEqualTo("PONG");
		}
	}

	@Test
	void closeStopsTheProcessAndDeletesItsDirectory() throws Exception {
		StandaloneRedis own = EmbeddedRedis.startStandaloneServer(0);
		int port = own.node().port();
		Path log = Path.of(System.getProperty("java.io.tmpdir"));
		long before = LiveProcesses.aliveCount();
		own.close();
		assertThat(own.node().isRunning()).isFalse();
		assertThat(LiveProcesses.aliveCount()).isEqualTo(before - 1);
		assertThat(RespSocket.ping(RedisNode.HOST, port)).isFalse();
		try (var dirs = Files.list(log)) {
			assertThat(dirs.map(Path::toString)).noneMatch((name) -> name.contains(Integer.toString(port)));
		}
		assertThat(own.isClosed()).isTrue();
	}

	@Test
	void pauseHoldsClientsForTheGivenTime() {
		try (StandaloneRedis own = EmbeddedRedis.startStandaloneServer(0)) {
			own.node().pause(java.time.Duration.ofMillis(300));
			long start = System.nanoTime();
			own.node().commands((commands) -> commands.set("k", "v"));
			assertThat(System.nanoTime() - start).isGreaterThan(java.time.Duration.ofMillis(200).toNanos());
		}
	}

	@Test
	void externalServerRefusesFaultInjection() {
		StandaloneRedis external = StandaloneRedis.external("redis://:secret@127.0.0.1:" + redis.node().port() + "/2");
		assertThat(external.connectionDetails().getPassword()).isEqualTo("secret");
		assertThat(external.connectionDetails().getStandalone().getDatabase()).isEqualTo(2);
		assertThatThrownBy(() -> external.node().kill()).isInstanceOf(UnsupportedOperationException.class)
			.hasMessageContaining("REDIS_URL");
		external.close();
		assertThat(redis.node().isRunning()).as("closing an external server leaves it running").isTrue();
	}

}
