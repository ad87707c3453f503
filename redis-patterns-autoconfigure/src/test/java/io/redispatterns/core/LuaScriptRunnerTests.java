package io.redispatterns.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redispatterns.test.RedisTopology;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@WithRedis(topology = RedisTopology.STANDALONE)
class LuaScriptRunnerTests {

	private static final String COUNTER = "test:scripts:counter";

	private static final LuaScript<Long> INCR_BY = LuaScript.load(LuaScriptRunnerTests.class, "incr-by.lua",
			ScriptResult.LONG);

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate redis;

	private LuaScriptRunner runner;

	private RedisStandaloneConfiguration configuration;

	@BeforeEach
	void connect(StandaloneRedis deployment) {
		this.configuration = new RedisStandaloneConfiguration(deployment.node().host(), deployment.node().port());
		this.connectionFactory = new LettuceConnectionFactory(this.configuration);
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.redis = new StringRedisTemplate(this.connectionFactory);
		this.redis.delete(COUNTER);
		this.runner = new LuaScriptRunner(this.connectionFactory);
	}

	@AfterEach
	void disconnect() {
		this.connectionFactory.destroy();
	}

	@Test
	void runsAScriptFromTheClasspathBySha() {
		assertThat(this.runner.run(INCR_BY, List.of(COUNTER), "5")).isEqualTo(5L);
		assertThat(this.runner.run(INCR_BY, List.of(COUNTER), "2")).isEqualTo(7L);
		assertThat(this.redis.getExpire(COUNTER)).isPositive();
		assertThat(scriptExists(INCR_BY)).isTrue();
	}

	@Test
	void computesTheShaOnceFromTheTextItReadOnce() throws Exception {
		String expected = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-1").digest(INCR_BY.text().getBytes(StandardCharsets.UTF_8)));
		assertThat(INCR_BY.sha1()).isEqualTo(expected);
		// the same String every time: nothing is read or digested per call
		assertThat(INCR_BY.sha1()).isSameAs(INCR_BY.sha1());
		assertThat(INCR_BY.text()).isSameAs(INCR_BY.text()).contains("INCRBY");
		LuaScript<Long> fromText = LuaScript.of("return 1", ScriptResult.LONG);
		assertThat(fromText.sha1()).isEqualTo("e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
	}

	@Test
	void reloadsTheScriptAfterTheServerForgotIt() {
		this.runner.run(INCR_BY, List.of(COUNTER), "1");
		flushScripts();
		assertThat(this.runner.run(INCR_BY, List.of(COUNTER), "1")).isEqualTo(2L);
		assertThat(scriptExists(INCR_BY)).isTrue();
	}

	@Test
	void reloadsTheScriptAfterTheServerForgotItWhenRunReactively() {
		this.runner.runReactive(INCR_BY, List.of(COUNTER), List.of("1")).block();
		flushScripts();
		assertThat(this.runner.runReactive(INCR_BY, List.of(COUNTER), List.of("1")).block()).isEqualTo(2L);
	}

	@Test
	void reloadsTheScriptAfterTheServerForgotItOnANativeLettuceConnection() throws Exception {
		LuaScript<long[]> pair = LuaScript.of("return { 1, tonumber(ARGV[1]) }", ScriptResult.LONG_ARRAY);
		flushScripts();
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			@SuppressWarnings("unchecked")
			RedisClusterAsyncCommands<byte[], byte[]> async = (RedisClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			byte[][] keys = { COUNTER.getBytes(StandardCharsets.UTF_8) };
			byte[][] args = { "4".getBytes(StandardCharsets.UTF_8) };
			java.util.concurrent.Future<?> missing = LettuceScripts.evalsha(async, pair, keys, args);
			assertThat(missing).failsWithin(10, TimeUnit.SECONDS)
				.withThrowableThat()
				.satisfies((failure) -> assertThat(LuaScriptRunner.isNoScript(failure)).isTrue());
			assertThat(LettuceScripts.eval(async, pair, keys, args).get(10, TimeUnit.SECONDS))
				.isEqualTo(new long[] { 1, 4 });
			assertThat(LettuceScripts.evalsha(async, pair, keys, args).get(10, TimeUnit.SECONDS))
				.isEqualTo(new long[] { 1, 4 });
		}
	}

	@Test
	void reloadsAScriptOfABatchAfterTheServerForgotIt() {
		RedisBatch first = new RedisBatch(this.connectionFactory);
		first.script(INCR_BY, List.of(COUNTER), List.of("3"));
		assertThat(first.execute()).containsExactly(3L);
		flushScripts();
		RedisBatch second = new RedisBatch(this.connectionFactory);
		int set = second.set("test:scripts:plain", "v", 60_000);
		int script = second.script(INCR_BY, List.of(COUNTER), List.of("3"));
		int read = second.mget(List.of("test:scripts:plain", "test:scripts:absent"));
		List<Object> results = second.execute();
		assertThat(results.get(set)).isEqualTo("OK");
		assertThat(results.get(script)).isEqualTo(6L);
		assertThat(results.get(read)).isEqualTo(java.util.Arrays.asList("v", null));
	}

	@Test
	void decodesEachDeclaredResultType() {
		assertThat(this.runner.run(LuaScript.of("return 42", ScriptResult.LONG), List.of())).isEqualTo(42L);
		assertThat(this.runner.run(LuaScript.of("return 'héllo'", ScriptResult.STRING), List.of())).isEqualTo("héllo");
		assertThat(this.runner.run(LuaScript.of("return 1", ScriptResult.BOOLEAN), List.of())).isTrue();
		assertThat(this.runner.run(LuaScript.of("return false", ScriptResult.BOOLEAN), List.of())).isFalse();
		assertThat(this.runner.run(LuaScript.of("return nil", ScriptResult.STRING), List.of())).isNull();
		LuaScript<List<Object>> table = LuaScript.of("return { 1, 'two', { 3, 'four' } }", ScriptResult.LIST);
		assertThat(this.runner.run(table, List.of())).containsExactly(1L, "two", List.of(3L, "four"));
		assertThat(this.runner.runReactive(table, List.of(), List.of()).block())
			.containsExactly(1L, "two", List.of(3L, "four"));
		LuaScript<List<Object>> binary = LuaScript.of("return { 7, ARGV[1] }", ScriptResult.RAW_LIST);
		List<Object> raw = this.runner.run(binary, List.of(), (Object) new byte[] { 0, (byte) 0xff });
		assertThat(raw.get(0)).isEqualTo(7L);
		assertThat((byte[]) raw.get(1)).containsExactly(0, 0xff);
		LuaScript<long[]> longs = LuaScript.of("return { 1, { 2, 3 }, 4 }", ScriptResult.LONG_ARRAY);
		assertThat(this.runner.run(longs, List.of())).containsExactly(1L, 2L, 3L, 4L);
	}

	@Test
	void aScriptErrorIsADataAccessExceptionThatIsNotRetriedAsEval() {
		LuaScript<Long> failing = LuaScript.of("return redis.call('INCR', KEYS[1])", ScriptResult.LONG);
		this.redis.opsForValue().set(COUNTER, "not a number");
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.runner.run(failing, List.of(COUNTER)))
			.satisfies((ex) -> assertThat(RedisFailures.classify(ex)).isEqualTo(RedisFailureKind.NOT_REDIS));
	}

	@Test
	void onTheSharedConnectionTakesNoConnectionFromTheFactoryPerCall() {
		AtomicInteger taken = new AtomicInteger();
		LettuceConnectionFactory counting = new LettuceConnectionFactory(this.configuration) {
			@Override
			public RedisConnection getConnection() {
				taken.incrementAndGet();
				return super.getConnection();
			}
		};
		counting.afterPropertiesSet();
		counting.start();
		try {
			LuaScriptRunner shared = LuaScriptRunner.onSharedConnection(() -> counting);
			for (int i = 1; i <= 5; i++) {
				assertThat(shared.run(INCR_BY, List.of(COUNTER), "1")).isEqualTo((long) i);
			}
			// opened (and found) once through the factory
			assertThat(taken).hasValue(1);
			new LuaScriptRunner(counting).run(INCR_BY, List.of(COUNTER), "1");
			assertThat(taken).hasValue(2);
		}
		finally {
			counting.destroy();
		}
	}

	@Test
	void onTheSharedConnectionReloadsScriptsTranslatesErrorsAndFindsAConnectionTheFactoryReplaced() {
		LuaScriptRunner shared = LuaScriptRunner.onSharedConnection(() -> this.connectionFactory);
		assertThat(shared.run(INCR_BY, List.of(COUNTER), "1")).isEqualTo(1L);
		flushScripts();
		assertThat(shared.run(INCR_BY, List.of(COUNTER), "1")).isEqualTo(2L);
		assertThat(scriptExists(INCR_BY)).isTrue();
		// closes the shared connection the runner holds: refused before writing, so sent again on the new one
		this.connectionFactory.resetConnection();
		assertThat(shared.run(INCR_BY, List.of(COUNTER), "1")).isEqualTo(3L);
		LuaScript<Long> failing = LuaScript.of("return redis.call('INCR', KEYS[1])", ScriptResult.LONG);
		this.redis.opsForValue().set(COUNTER, "not a number");
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> shared.run(failing, List.of(COUNTER)))
			.satisfies((ex) -> assertThat(RedisFailures.classify(ex)).isEqualTo(RedisFailureKind.NOT_REDIS));
	}

	@Test
	void onTheSharedConnectionUsesAConnectionTheApplicationBoundToTheThread() {
		LuaScriptRunner shared = LuaScriptRunner.onSharedConnection(() -> this.connectionFactory);
		// loads the script: inside MULTI a NOSCRIPT only shows at EXEC
		assertThat(shared.run(INCR_BY, List.of(COUNTER), "0")).isEqualTo(0L);
		List<Object> results = this.redis.execute(new SessionCallback<List<Object>>() {
			@Override
			@SuppressWarnings({ "unchecked", "rawtypes" })
			public List<Object> execute(RedisOperations operations) {
				operations.multi();
				// queued in the application's MULTI, as on the connection RedisConnectionUtils hands out
				assertThat(shared.run(INCR_BY, List.of(COUNTER), "5")).isNull();
				return operations.exec();
			}
		});
		assertThat(results).hasSize(1);
		assertThat(this.redis.opsForValue().get(COUNTER)).isEqualTo("5");
	}

	@Test
	void missingScriptFailsWithItsPath() {
		assertThatIllegalStateException()
			.isThrownBy(() -> LuaScript.load(LuaScriptRunnerTests.class, "nope.lua", ScriptResult.LONG))
			.withMessageContaining("io/redispatterns/core/nope.lua");
	}

	private boolean scriptExists(LuaScript<?> script) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return connection.scriptingCommands().scriptExists(script.sha1()).get(0);
		}
	}

	private void flushScripts() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			connection.scriptingCommands().scriptFlush();
		}
	}

}
