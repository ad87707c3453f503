package io.redispatterns.writebehind;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.test.RedisDeployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Buffers coalesce by key, flush in batches with an id that stays the same when a batch is flushed again,
 * dead-letter a batch that keeps failing, and bound their backlog. One context per topology, one buffer per
 * behaviour; run for each topology by a subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WriteBehindContractTests {

	static InMemoryDatabase views = new InMemoryDatabase();

	static InMemoryDatabase prices = new InMemoryDatabase();

	static InMemoryDatabase flaky = new InMemoryDatabase();

	static final List<WriteBehindBatch<Long>> flakyCalls = new CopyOnWriteArrayList<>();

	static final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));

	static InMemoryDatabase gated = new InMemoryDatabase();

	record Price(String sku, long cents) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Flushers {

		@Bean
		Object viewsFlusher() {
			return new Object() {
				@WriteBehindFlush(buffer = "views", maxBatch = 2, every = "100ms")
				void persist(WriteBehindBatch<Long> batch) {
					assertThat(batch.size()).isLessThanOrEqualTo(2);
					views.add(batch);
				}
			};
		}

		@Bean
		Object pricesFlusher() {
			return new Object() {
				@WriteBehindFlush(buffer = "${test.prices-buffer:prices}", every = "100ms")
				void persist(WriteBehindBatch<Price> batch) {
					prices.put(batch);
				}
			};
		}

		@Bean
		Object flakyFlusher() {
			return new Object() {
				@WriteBehindFlush(buffer = "flaky", every = "100ms")
				void persist(WriteBehindBatch<Long> batch) {
					flakyCalls.add(batch);
					if (batch.attempt() < 3) {
						throw new IllegalStateException("database unavailable (attempt " + batch.attempt() + ")");
					}
					flaky.add(batch);
				}
			};
		}

		@Bean
		Object doomedFlusher() {
			return new Object() {
				@WriteBehindFlush(buffer = "doomed", every = "100ms")
				void persist(WriteBehindBatch<Long> batch) {
					throw new IllegalArgumentException("constraint violated by " + batch.items().keySet());
				}
			};
		}

		@Bean
		Object gatedFlusher() {
			return new Object() {
				@WriteBehindFlush(buffer = "gated", every = "100ms")
				void persist(WriteBehindBatch<Long> batch) throws InterruptedException {
					assertThat(gate.get().await(30, TimeUnit.SECONDS)).isTrue();
					gated.add(batch);
				}
			};
		}

	}

	private ConfigurableApplicationContext context;

	private WriteBehinds buffers;

	protected abstract RedisDeployment deployment();

	@BeforeAll
	void start() {
		deployment().flushAll();
		views = new InMemoryDatabase();
		prices = new InMemoryDatabase();
		flaky = new InMemoryDatabase();
		gated = new InMemoryDatabase();
		flakyCalls.clear();
		this.context = WriteBehindContexts.start(deployment(), Flushers.class,
				"redis-patterns.write-behind.buffers.doomed.max-attempts=2",
				"redis-patterns.write-behind.buffers.tiny.max-backlog=3",
				"redis-patterns.write-behind.buffers.gated.max-backlog=2",
				"redis-patterns.write-behind.buffers.gated.when-full=block",
				"redis-patterns.write-behind.buffers.gated.block-timeout=30s",
				"redis-patterns.write-behind.buffers.slow.max-backlog=1",
				"redis-patterns.write-behind.buffers.slow.when-full=block",
				"redis-patterns.write-behind.buffers.slow.block-timeout=100ms");
		this.buffers = this.context.getBean(WriteBehinds.class);
	}

	@AfterAll
	void stop() {
		gate.get().countDown();
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void countersAreSummedByKeyAndFlushedInBatchesOfAtMostMaxBatch() {
		WriteBehind<Long> buffer = this.buffers.buffer("views", Long.class);
		for (int i = 0; i < 60; i++) {
			buffer.increment("product:" + (i % 5), 1);
		}
		buffer.increment("product:0", 10);
		await().atMost(Duration.ofSeconds(20)).until(() -> views.sum() == 70);
		assertThat(views.total("product:0")).isEqualTo(22);
		for (int i = 1; i < 5; i++) {
			assertThat(views.total("product:" + i)).isEqualTo(12);
		}
		// 61 writes to 5 keys: coalesced into far fewer items than writes, every batch applied once
		assertThat(views.deliveries()).doesNotHaveDuplicates();
		await().atMost(Duration.ofSeconds(10)).until(() -> buffer.backlog() == 0);
		MeterRegistry meters = this.context.getBean(MeterRegistry.class);
		assertThat(meters.get("redis.patterns.write-behind.flushed").tag("buffer", "views").counter().count())
			.isLessThan(61);
		assertThat(meters.get("redis.patterns.write-behind.flush").tag("buffer", "views").tag("outcome", "success")
			.timer()
			.count()).isEqualTo(views.appliedBatchCount());
	}

	@Test
	void writesOfOneKeyCoalesceWhilePending() {
		WriteBehind<Long> counter = this.buffers.buffer("unflushed-counter", Long.class);
		WriteBehind<Price> values = this.buffers.buffer("unflushed-values", Price.class);
		for (int i = 0; i < 100; i++) {
			counter.increment("k" + (i % 3), 1);
			values.write("sku-" + (i % 4), new Price("sku-" + (i % 4), i));
		}
		assertThat(this.buffers.state("unflushed-counter").pending()).isEqualTo(3);
		assertThat(this.buffers.state("unflushed-values").pending()).isEqualTo(4);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.buffers.buffer("unflushed-values", Long.class).increment("sku-1", 1))
			.withMessageContaining("not an integer");
	}

	@Test
	void theLastValueWrittenWins() {
		WriteBehind<Price> buffer = this.buffers.buffer("prices", Price.class);
		for (int cents = 1; cents <= 50; cents++) {
			buffer.write("sku-1", new Price("sku-1", cents));
			buffer.write("sku-2", new Price("sku-2", 1000 + cents));
		}
		await().atMost(Duration.ofSeconds(20))
			.until(() -> new Price("sku-1", 50).equals(prices.value("sku-1"))
					&& new Price("sku-2", 1050).equals(prices.value("sku-2")));
	}

	@Test
	void aFailedFlushIsRetriedWithTheSameBatchIdAndItems() {
		WriteBehind<Long> buffer = this.buffers.buffer("flaky", Long.class);
		buffer.increment("a", 3);
		buffer.increment("b", 4);
		await().atMost(Duration.ofSeconds(20)).until(() -> flaky.sum() == 7);
		assertThat(flakyCalls).hasSize(3);
		assertThat(flakyCalls).extracting(WriteBehindBatch::id).containsOnly(flakyCalls.get(0).id());
		assertThat(flakyCalls).extracting(WriteBehindBatch::attempt).containsExactly(1, 2, 3);
		assertThat(flakyCalls).allSatisfy((call) -> assertThat(call.items()).containsEntry("a", 3L)
			.containsEntry("b", 4L));
		MeterRegistry meters = this.context.getBean(MeterRegistry.class);
		assertThat(meters.get("redis.patterns.write-behind.failures").tag("buffer", "flaky").counter().count())
			.isEqualTo(2);
	}

	@Test
	void aBatchThatKeepsFailingIsDeadLetteredWithItsError() {
		WriteBehind<Long> buffer = this.buffers.buffer("doomed", Long.class);
		buffer.increment("x", 5);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.buffers.state("doomed").dead() == 1);
		List<DeadBatch> dead = this.buffers.deadLetters("doomed", 10);
		assertThat(dead).hasSize(1);
		assertThat(dead.get(0).attempts()).isEqualTo(2);
		assertThat(dead.get(0).error()).contains("IllegalArgumentException").contains("constraint violated by [x]");
		assertThat(dead.get(0).items()).containsExactly(java.util.Map.entry("x", "5"));
		BufferState state = this.buffers.state("doomed");
		assertThat(state.inFlight()).isZero();
		assertThat(state.batchId()).isNull();
	}

	@Test
	void aFullBufferRejectsNewKeysButStillCoalesces() {
		WriteBehind<Long> buffer = this.buffers.buffer("tiny", Long.class);
		buffer.increment("a", 1);
		buffer.increment("b", 1);
		buffer.increment("c", 1);
		assertThatExceptionOfType(WriteBehindFullException.class).isThrownBy(() -> buffer.increment("d", 1))
			.withMessageContaining("'tiny'")
			.withMessageContaining("3 keys")
			.withMessageContaining("redis-patterns.write-behind.max-backlog");
		buffer.increment("a", 1);
		assertThat(this.buffers.state("tiny").pending()).isEqualTo(3);
		MeterRegistry meters = this.context.getBean(MeterRegistry.class);
		assertThat(meters.get("redis.patterns.write-behind.writes").tag("buffer", "tiny").tag("outcome", "rejected")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void aBlockingWriteGivesUpAfterItsTimeout() {
		WriteBehind<Long> buffer = this.buffers.buffer("slow", Long.class);
		buffer.increment("a", 1);
		assertThatExceptionOfType(WriteBehindFullException.class).isThrownBy(() -> buffer.increment("b", 1))
			.withMessageContaining("had no room within PT0.1S");
	}

	@Test
	void aBlockingWriteWaitsForRoomAndIsBufferedOnce() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		gate.set(release);
		WriteBehind<Long> buffer = this.buffers.buffer("gated", Long.class);
		buffer.increment("a", 1);
		buffer.increment("b", 1);
		// the flusher holds a batch (one or both keys): the buffer is full until that batch is acknowledged
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			BufferState state = this.buffers.state("gated");
			return state.batchId() != null && state.backlog() == 2;
		});
		Thread writer = new Thread(() -> buffer.increment("c", 1));
		writer.start();
		await().atMost(Duration.ofSeconds(20)).until(() -> writer.getState() == Thread.State.TIMED_WAITING);
		assertThat(this.buffers.state("gated").backlog()).isEqualTo(2);
		release.countDown();
		writer.join(20_000);
		assertThat(writer.isAlive()).isFalse();
		await().atMost(Duration.ofSeconds(20)).until(() -> gated.sum() == 3);
		assertThat(gated.total("c")).isEqualTo(1);
	}

}
