package io.redispatterns.lock;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link DistributedLock @DistributedLock} on bean methods and {@code @Scheduled} jobs.
 */
@WithRedis
class DistributedLockTests {

	RedisDeployment redis;

	private final String prefix = "dltest-" + UUID.randomUUID().toString().substring(0, 8);

	private ApplicationContextRunner runner() {
		return LockTestSupport.runner(this.redis, this.prefix)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withUserConfiguration(ServiceConfiguration.class)
			.withPropertyValues("test.hold=5s");
	}

	@Test
	void methodRunsUnderTheLockNamedByTheKeyExpression() {
		runner().run((context) -> {
			OrderService orders = context.getBean(OrderService.class);
			assertThat(orders.ship(42)).isEqualTo("shipped 42 while held=true");
			assertThat(context.getBean(LockTemplate.class).tryAcquire("order:42", Duration.ofSeconds(1))).isPresent();
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("redis.patterns.lock.acquire").tags("lock", "OrderService.ship", "result", "acquired")
				.timer().count()).isEqualTo(1);
		});
	}

	@Test
	void busyLockFailsWithLockNotAcquiredByDefault() {
		runner().run((context) -> {
			OrderService orders = context.getBean(OrderService.class);
			LockLease held = context.getBean(LockTemplate.class).tryAcquire("order:7", Duration.ofSeconds(30)).orElseThrow();
			assertThatExceptionOfType(LockNotAcquiredException.class).isThrownBy(() -> orders.ship(7))
				.withMessageContaining("'order:7'");
			assertThat(orders.ship(8)).startsWith("shipped 8");
			held.release();
			assertThat(orders.ship(7)).startsWith("shipped 7");
		});
	}

	@Test
	void busyLockSkipsTheMethodWithOnBusySkip() {
		runner().run((context) -> {
			OrderService orders = context.getBean(OrderService.class);
			LockTemplate locks = context.getBean(LockTemplate.class);
			LockLease report = locks.tryAcquire("report", Duration.ofSeconds(30)).orElseThrow();
			LockLease count = locks.tryAcquire("count", Duration.ofSeconds(30)).orElseThrow();
			assertThat(orders.report()).isEmpty();
			assertThat(orders.count()).isZero();
			assertThat(orders.runs()).isZero();
			report.release();
			count.release();
			assertThat(orders.report()).contains("report");
			assertThat(orders.count()).isEqualTo(2);
		});
	}

	@Test
	void onBusyWaitWaitsUntilTheLockIsReleased() {
		runner().run((context) -> {
			OrderService orders = context.getBean(OrderService.class);
			LockLease held = context.getBean(LockTemplate.class).tryAcquire("wait:x", Duration.ofSeconds(30)).orElseThrow();
			AtomicReference<Thread> waiting = new AtomicReference<>();
			CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> {
				waiting.set(Thread.currentThread());
				return orders.waitFor("x");
			});
			// the call found the lock busy and parked to wait instead of failing or skipping
			LockTestSupport.awaitParkedOnWakeUp(waiting);
			assertThat(call).isNotDone();
			held.release();
			assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("waited x");
		});
	}

	@Test
	void holdAtLeastKeepsTheLockAfterTheMethodReturns() {
		runner().run((context) -> {
			context.getBean(OrderService.class).fast();
			assertThat(context.getBean(LockTemplate.class).tryAcquire("hold", Duration.ofSeconds(1))).isEmpty();
		});
	}

	@Test
	void methodExceptionsPropagateUnchangedAndReleaseTheLock() {
		runner().run((context) -> {
			OrderService orders = context.getBean(OrderService.class);
			assertThatExceptionOfType(IOException.class).isThrownBy(orders::failing).withMessage("disk full");
			assertThat(context.getBean(LockTemplate.class).tryAcquire("failing", Duration.ofSeconds(1))).isPresent();
		});
	}

	@Test
	void attributesWhosePlaceholdersResolveToBlankAreUnset() {
		runner().run((context) -> {
			OrderService orders = context.getBean(OrderService.class);
			assertThat(orders.optional()).isEqualTo("ran while held=true");
			assertThat(context.getBean(LockTemplate.class).tryAcquire("optional", Duration.ofSeconds(1))).isPresent();
		});
	}

	@Test
	void malformedDurationNamesTheMethodAndTheAttribute() {
		runner().run((context) -> {
			OrderService orders = context.getBean(OrderService.class);
			assertThatExceptionOfType(InvalidRedisPatternsPropertyException.class).isThrownBy(orders::badLease)
				.satisfies((ex) -> {
					assertThat(ex.getProperty()).isEqualTo("@DistributedLock on OrderService.badLease (lease)");
					assertThat(ex.getValue()).isEqualTo("soon");
				})
				.withMessageContaining("500ms, 30s or PT30S");
			assertThat(orders.runs()).isZero();
		});
	}

	@Test
	void scheduledJobIsSkippedWhileAnotherInstanceHoldsItsLock() {
		LockTestSupport.runner(this.redis, this.prefix).run((other) -> {
			LockLease held = other.getBean(LockTemplate.class).tryAcquire("nightly", Duration.ofSeconds(30)).orElseThrow();
			runner().withUserConfiguration(SchedulingConfiguration.class).run((context) -> {
				Job job = context.getBean(Job.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				LockTestSupport.awaitTrue("the job tried the lock several times", () -> meters
					.find("redis.patterns.lock.acquire").tags("lock", "nightly", "result", "busy").timers().stream()
					.mapToLong((timer) -> timer.count()).sum() >= 3);
				assertThat(job.runs()).isZero();
				held.release();
				LockTestSupport.awaitTrue("the job ran", () -> job.runs() > 0);
			});
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ServiceConfiguration {

		@Bean
		OrderService orderService(ObjectProvider<LockTemplate> locks) {
			return new OrderService(locks);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class SchedulingConfiguration {

		@Bean
		Job job() {
			return new Job();
		}

	}

	static class OrderService {

		final AtomicInteger runs = new AtomicInteger();

		private final ObjectProvider<LockTemplate> locks;

		OrderService(ObjectProvider<LockTemplate> locks) {
			this.locks = locks;
		}

		public int runs() {
			return this.runs.get();
		}

		@DistributedLock(key = "'order:' + #id", lease = "30s", waitFor = "0s")
		public String ship(long id) {
			boolean held = this.locks.getObject().tryAcquire("order:" + id, Duration.ofSeconds(1)).isEmpty();
			return "shipped " + id + " while held=" + held;
		}

		@DistributedLock(name = "report", onBusy = OnBusy.SKIP)
		public Optional<String> report() {
			this.runs.incrementAndGet();
			return Optional.of("report");
		}

		@DistributedLock(name = "count", onBusy = OnBusy.SKIP)
		public int count() {
			return this.runs.incrementAndGet();
		}

		@DistributedLock(key = "'wait:' + #p0", onBusy = OnBusy.WAIT)
		public String waitFor(String what) {
			return "waited " + what;
		}

		@DistributedLock(name = "hold", holdAtLeast = "${test.hold}")
		public void fast() {
		}

		@DistributedLock(name = "optional", lease = "${test.lease:}", waitFor = "${test.wait:}",
				holdAtLeast = "${test.hold-at-least: }")
		public String optional() {
			boolean held = this.locks.getObject().tryAcquire("optional", Duration.ofSeconds(1)).isEmpty();
			return "ran while held=" + held;
		}

		@DistributedLock(name = "bad-lease", lease = "${test.bad-lease:soon}")
		public void badLease() {
			this.runs.incrementAndGet();
		}

		@DistributedLock(name = "failing")
		public void failing() throws IOException {
			throw new IOException("disk full");
		}

	}

	static class Job {

		final AtomicInteger runs = new AtomicInteger();

		public int runs() {
			return this.runs.get();
		}

		@Scheduled(fixedDelay = 20)
		@DistributedLock(name = "nightly", onBusy = OnBusy.SKIP, lease = "10s")
		public void run() {
			this.runs.incrementAndGet();
		}

	}

}
