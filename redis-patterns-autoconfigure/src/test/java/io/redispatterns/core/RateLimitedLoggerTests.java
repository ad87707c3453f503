package io.redispatterns.core;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RateLimitedLogger} writes at most one line per interval and reports what it suppressed.
 */
class RateLimitedLoggerTests {

	private final List<String> lines = new ArrayList<>();

	private final AtomicLong clock = new AtomicLong(1_000);

	private final Log log = (Log) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Log.class },
			(proxy, method, args) -> {
				if (method.getName().equals("warn")) {
					this.lines.add(String.valueOf(args[0]) + ((args.length > 1) ? " +stack" : ""));
				}
				return (method.getReturnType() == boolean.class) ? true : null;
			});

	private final RateLimitedLogger logger = new RateLimitedLogger(this.log, Duration.ofSeconds(10), this.clock::get);

	@Test
	void writesTheFirstMessageAndSuppressesRepeatsWithinTheInterval() {
		assertThat(this.logger.warn("Redis down", null)).isTrue();
		assertThat(this.logger.warn("Redis down", null)).isFalse();
		assertThat(this.logger.warn("Redis down", null)).isFalse();
		assertThat(this.lines).containsExactly("Redis down");
		assertThat(this.logger.suppressedCount()).isEqualTo(2);
	}

	@Test
	void nextLineAfterTheIntervalSaysHowManyWereSuppressed() {
		this.logger.warn("Redis down", null);
		for (int i = 0; i < 41; i++) {
			this.logger.warn("Redis down", null);
		}
		this.clock.addAndGet(Duration.ofSeconds(10).toNanos());
		assertThat(this.logger.warn("Redis down", new IllegalStateException())).isTrue();
		assertThat(this.lines).containsExactly("Redis down",
				"Redis down (41 similar messages suppressed in the last 10s) +stack");
		assertThat(this.logger.suppressedCount()).isZero();
	}

}
