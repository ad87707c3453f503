package io.redispatterns.core;

import java.util.List;

import io.redispatterns.test.ClusterRedis;
import io.redispatterns.test.RedisNode;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The script runner and the batch on Redis Cluster: each script goes to the master owning its keys,
 * and a master that forgot its scripts (restart, failover, {@code SCRIPT FLUSH}) gets them again.
 */
@WithRedis(topology = RedisTopology.CLUSTER)
class LuaScriptRunnerClusterTests {

	private static final LuaScript<Long> INCR_BY = LuaScript.load(LuaScriptRunnerClusterTests.class, "incr-by.lua",
			ScriptResult.LONG);

	ClusterRedis redis;

	private LettuceConnectionFactory connectionFactory;

	private final List<String> keys = List.of("test:scripts:{a}", "test:scripts:{b}", "test:scripts:{c}",
			"test:scripts:{d}");

	@BeforeEach
	void connect() {
		RedisClusterConfiguration configuration = new RedisClusterConfiguration(
				this.redis.masters().stream().map((node) -> node.host() + ":" + node.port()).toList());
		this.connectionFactory = new LettuceConnectionFactory(configuration);
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.redis.flushAll();
	}

	@AfterEach
	void disconnect() {
		this.connectionFactory.destroy();
	}

	@Test
	void runsOnTheMasterOfEachKeyAndReloadsAfterEveryMasterForgotTheScript() {
		assertThat(this.keys.stream().map(this.redis::nodeForKey).distinct()).hasSizeGreaterThan(1);
		LuaScriptRunner runner = new LuaScriptRunner(this.connectionFactory);
		for (String key : this.keys) {
			assertThat(runner.run(INCR_BY, List.of(key), "2")).isEqualTo(2L);
		}
		flushScriptsOnEveryMaster();
		for (String key : this.keys) {
			assertThat(runner.run(INCR_BY, List.of(key), "2")).isEqualTo(4L);
			assertThat(runner.runReactive(INCR_BY, List.of(key), List.of("1")).block()).isEqualTo(5L);
		}
	}

	@Test
	void onTheSharedConnectionRunsOnTheMasterOfEachKeyAndReloadsAfterEveryMasterForgotTheScript() {
		LuaScriptRunner runner = LuaScriptRunner.onSharedConnection(() -> this.connectionFactory);
		for (String key : this.keys) {
			assertThat(runner.run(INCR_BY, List.of(key), "2")).isEqualTo(2L);
		}
		flushScriptsOnEveryMaster();
		for (String key : this.keys) {
			assertThat(runner.run(INCR_BY, List.of(key), "2")).isEqualTo(4L);
			String value = this.redis.nodeForKey(key).execute((commands) -> commands.get(key));
			assertThat(value).isEqualTo("4");
		}
	}

	@Test
	void aBatchSpanningMastersReloadsItsScripts() {
		flushScriptsOnEveryMaster();
		RedisBatch batch = new RedisBatch(this.connectionFactory);
		for (String key : this.keys) {
			batch.script(INCR_BY, List.of(key), List.of("3"));
		}
		int read = batch.mget(List.of(this.keys.get(0), this.keys.get(1)));
		List<Object> results = batch.execute();
		assertThat(results.subList(0, this.keys.size())).containsOnly(3L);
		assertThat(results.get(read)).isEqualTo(List.of("3", "3"));
	}

	private void flushScriptsOnEveryMaster() {
		for (RedisNode master : this.redis.masters()) {
			master.commands((commands) -> commands.scriptFlush());
		}
	}

}
