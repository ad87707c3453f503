package io.redispatterns.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@WithRedis
class CommandCallsTest {

	@Test
	void countsTheCommandsRunBetweenTwoSnapshots(StandaloneRedis redis) {
		RedisNode node = redis.node();
		CommandCalls before = CommandCalls.of(node);
		node.commands((commands) -> {
			commands.set("command-calls:a", "1");
			commands.set("command-calls:b", "2");
			commands.get("command-calls:a");
			commands.eval("return redis.call('INCR', KEYS[1])", io.lettuce.core.ScriptOutputType.INTEGER,
					"command-calls:n");
		});
		CommandCalls work = CommandCalls.of(node).since(before);
		assertThat(work.get("set")).isEqualTo(2);
		assertThat(work.get("get")).isEqualTo(1);
		assertThat(work.get("eval")).isEqualTo(1);
		assertThat(work.get("incr")).as("commands a script runs count too").isEqualTo(1);
		assertThat(work.get("del")).isZero();
		assertThat(work.asMap()).doesNotContainKeys("info", "hello");
		assertThat(work.without("incr").total()).isEqualTo(work.total() - 1);
	}

}
