package io.redispatterns.ratelimit.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.redispatterns.core.LuaScript;
import io.redispatterns.core.ScriptResult;
import io.redispatterns.ratelimit.RateLimitTestContexts;
import io.redispatterns.test.StandaloneRedis;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once Lettuce's shared connection is open, a decision script is sent from the caller's thread and
 * its outcome is reported there: no hand-off to another thread per decision. When the shared
 * connection is closed under it, a decision still gets its answer (the call goes through the path
 * that opens a connection, then direct again); a flushed script cache is reloaded with EVAL.
 */
@WithRedis(shared = false)
class RateLimitDirectCallTests {

	private static final LuaScript<long[]> SCRIPT = LuaScript.of("return { 1, tonumber(ARGV[1]) }",
			ScriptResult.LONG_ARRAY);

	@Test
	void afterTheConnectionIsOpenADecisionIsSentAndAnsweredOnTheCallersThread(StandaloneRedis redis) {
		RateLimitTestContexts.runner(redis).run((context) -> {
			DecisionTransport runner = DecisionTransport.of(context.getBean(RedisConnectionFactory.class));
			try {
				runner.preload(SCRIPT);
				awaitTrue(runner::sendsDirectly);

				RecordingOutcome outcome = new RecordingOutcome();
				long[] result = runner.run(SCRIPT, utf8("rltest:direct:{a}"), utf8("7"), Duration.ofSeconds(10),
						outcome);

				assertThat(result).containsExactly(1L, 7L);
				assertThat(outcome.reported.get()).isEqualTo("succeeded on " + Thread.currentThread().getName());
			}
			finally {
				runner.close();
			}
		});
	}

	@Test
	void aClosedSharedConnectionOrAFlushedScriptCacheStillGetsAnAnswer(StandaloneRedis redis) {
		RateLimitTestContexts.runner(redis).run((context) -> {
			LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
			DecisionTransport runner = DecisionTransport.of(factory);
			try {
				runner.preload(SCRIPT);
				awaitTrue(runner::sendsDirectly);

				factory.resetConnection();
				// the outcome of a call that went the bounded path may be reported from another thread, later
				assertThat(runner.run(SCRIPT, utf8("rltest:direct:{b}"), utf8("8"), Duration.ofSeconds(10),
						new RecordingOutcome()))
					.containsExactly(1L, 8L);
				awaitTrue(runner::sendsDirectly);

				try (var connection = factory.getConnection()) {
					connection.scriptingCommands().scriptFlush();
				}
				RecordingOutcome afterFlush = new RecordingOutcome();
				assertThat(runner.run(SCRIPT, utf8("rltest:direct:{c}"), utf8("9"), Duration.ofSeconds(10),
						afterFlush))
					.containsExactly(1L, 9L);
				assertThat(afterFlush.reported.get()).isEqualTo("succeeded on " + Thread.currentThread().getName());
			}
			finally {
				runner.close();
			}
		});
	}

	private static byte[][] utf8(String value) {
		return new byte[][] { value.getBytes(StandardCharsets.UTF_8) };
	}

	private static void awaitTrue(BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("the runner opened its direct path within 30 s").isLessThan(deadline);
			LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
		}
	}

	private static final class RecordingOutcome implements DecisionTransport.Outcome {

		final AtomicReference<String> reported = new AtomicReference<>();

		@Override
		public void succeeded() {
			this.reported.set("succeeded on " + Thread.currentThread().getName());
		}

		@Override
		public void failed(Throwable failure) {
			this.reported.set("failed: " + failure);
		}

		@Override
		public void timedOut(boolean sent) {
			this.reported.set("timed out");
		}

	}

}
