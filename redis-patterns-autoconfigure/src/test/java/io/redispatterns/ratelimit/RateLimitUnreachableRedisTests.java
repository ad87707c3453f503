package io.redispatterns.ratelimit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.redispatterns.core.autoconfigure.RedisPatternsAutoConfiguration;
import io.redispatterns.ratelimit.autoconfigure.RateLimitAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis unreachable rather than refusing: a loopback listener whose accept queue is full and never
 * drained, so the kernel drops further SYNs and every connect hangs until the client's connect
 * timeout (60 s here). Opening the shared connection then blocks whoever subscribes first; the
 * limiter must keep that off the caller's thread, so that start-up (the script warm-up) and every
 * decision return through the timeout / failure-mode path. The bounded wait below is a guard
 * against a hang, far above the 200 ms limiter timeout and far below the connect timeout; elapsed
 * times are printed, not asserted.
 */
class RateLimitUnreachableRedisTests {

	@Test
	void decisionsAndWarmUpDoNotWaitForAHangingConnect() throws Exception {
		try (BlackHole blackHole = BlackHole.open()) {
			ApplicationContextRunner runner = new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
						RedisPatternsAutoConfiguration.class, RateLimitAutoConfiguration.class))
				.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + blackHole.port(),
						"spring.data.redis.connect-timeout=60s", "spring.data.redis.timeout=60s",
						"redis-patterns.rate-limit.timeout=200ms",
						"redis-patterns.rate-limit.circuit-breaker.failure-threshold=3",
						"redis-patterns.rate-limit.policies.lenient.limit=10",
						"redis-patterns.rate-limit.policies.lenient.window=1m",
						"redis-patterns.rate-limit.policies.strict.limit=10",
						"redis-patterns.rate-limit.policies.strict.window=1m",
						"redis-patterns.rate-limit.policies.strict.failure-mode=fail-closed");
			List<RateLimitDecision.Outcome> outcomes = new ArrayList<>();
			CompletableFuture<Void> run = CompletableFuture.runAsync(() -> runner.run((context) -> {
				long started = System.nanoTime();
				assertThat(context).hasNotFailed();
				RateLimiter limiter = context.getBean(RateLimiter.class);
				for (int i = 0; i < 5; i++) {
					long start = System.nanoTime();
					RateLimitDecision open = limiter.tryAcquire("lenient", "client");
					RateLimitDecision closed = limiter.tryAcquire("strict", "client");
					System.out.printf("[unreachable] decision %d: %s / %s in %.1f ms%n", i, open.outcome(),
							closed.outcome(), (System.nanoTime() - start) / 1e6);
					outcomes.add(open.outcome());
					outcomes.add(closed.outcome());
				}
				System.out.printf("[unreachable] 10 decisions in %.1f ms (connect timeout 60 s)%n",
						(System.nanoTime() - started) / 1e6);
				// let the pending connects fail (RST) instead of waiting out the connect timeout on close
				blackHole.close();
			}));
			run.get(30, TimeUnit.SECONDS);
			for (int i = 0; i < outcomes.size(); i += 2) {
				assertThat(outcomes.get(i)).isEqualTo(RateLimitDecision.Outcome.DEGRADED);
				assertThat(outcomes.get(i + 1)).isEqualTo(RateLimitDecision.Outcome.UNAVAILABLE);
			}
			assertThat(outcomes).hasSize(10);
		}
	}

	/** A listener that never accepts, with its accept queue filled so that new connects hang. */
	static final class BlackHole implements AutoCloseable {

		private final ServerSocket server;

		private final List<Socket> fillers = new ArrayList<>();

		private BlackHole(ServerSocket server) {
			this.server = server;
		}

		static BlackHole open() throws IOException {
			BlackHole hole = new BlackHole(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
			for (int i = 0; i < 64; i++) {
				Socket socket = new Socket();
				try {
					socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), hole.port()), 500);
					hole.fillers.add(socket);
				}
				catch (SocketTimeoutException ex) {
					socket.close();
					return hole; // the queue is full: this connect hung
				}
			}
			hole.close();
			throw new IllegalStateException("Connects to a full accept queue did not hang on this system");
		}

		int port() {
			return this.server.getLocalPort();
		}

		@Override
		public void close() throws IOException {
			this.server.close();
			for (Socket socket : this.fillers) {
				socket.close();
			}
		}

	}

}
