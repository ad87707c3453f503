package io.redispatterns.sample.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.redispatterns.core.RedisKeys;
import io.redispatterns.lock.LockLease;
import io.redispatterns.lock.LockTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The inventory endpoints and the audit job, against the embedded Redis default.
 */
@SpringBootTest(properties = "sample.inventory.audit-interval=1h")
@AutoConfigureMockMvc
class InventoryLockTests {

	@Autowired
	private MockMvc mvc;

	@MockitoSpyBean
	private InventoryStore store;

	@Autowired
	private InventoryAuditJob audit;

	@Autowired
	private LockTemplate locks;

	@Autowired
	private RedisKeys keys;

	@Autowired
	private StringRedisTemplate redis;

	private final String sku = "sku-" + UUID.randomUUID().toString().substring(0, 8);

	@Test
	void everySkuStartsWithOneHundredUnits() throws Exception {
		this.mvc.perform(get("/api/inventory/{sku}", this.sku))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.sku").value(this.sku))
			.andExpect(jsonPath("$.stock").value(100))
			.andExpect(jsonPath("$.reserved").value(0))
			.andExpect(jsonPath("$.lastFencingToken").value(0));
	}

	@Test
	void reserveTakesOneUnitAndStoresTheFencingToken() throws Exception {
		MvcResult result = this.mvc.perform(post("/api/inventory/{sku}/reserve", this.sku))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.sku").value(this.sku))
			.andExpect(jsonPath("$.fencingToken").value(greaterThan(0L)))
			.andExpect(jsonPath("$.stock").value(99))
			.andExpect(jsonPath("$.reserved").value(1))
			.andReturn();
		long token = Long.parseLong(result.getResponse().getContentAsString().replaceAll(".*\"fencingToken\":(\\d+).*", "$1"));
		this.mvc.perform(get("/api/inventory/{sku}", this.sku))
			.andExpect(jsonPath("$.stock").value(99))
			.andExpect(jsonPath("$.reserved").value(1))
			.andExpect(jsonPath("$.lastFencingToken").value(token));
	}

	@Test
	void concurrentReservationsNeverOversellAndAnswer409WhenSoldOut() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<Integer>> statuses = new ArrayList<>();
		for (int i = 0; i < 110; i++) {
			statuses.add(pool.submit(this::reserveRetryingWhileBusy));
		}
		int ok = 0;
		int conflict = 0;
		for (Future<Integer> status : statuses) {
			int code = status.get(60, TimeUnit.SECONDS);
			ok += (code == 200) ? 1 : 0;
			conflict += (code == 409) ? 1 : 0;
		}
		pool.shutdown();
		assertThat(ok).isEqualTo(100);
		assertThat(conflict).isEqualTo(10);
		this.mvc.perform(get("/api/inventory/{sku}", this.sku))
			.andExpect(jsonPath("$.stock").value(0))
			.andExpect(jsonPath("$.reserved").value(100));
		this.mvc.perform(post("/api/inventory/{sku}/reserve", this.sku))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.error").value("sold-out"));
	}

	/**
	 * Reserves as a client would: a {@code 503} means the lock stayed busy longer than the endpoint's wait (110
	 * requests queue on one lock; on a loaded machine the last ones can wait more than 5 s) and nothing was done, so
	 * the request is sent again.
	 */
	private int reserveRetryingWhileBusy() throws Exception {
		int status;
		do {
			status = this.mvc.perform(post("/api/inventory/{sku}/reserve", this.sku)).andReturn().getResponse().getStatus();
		}
		while (status == 503);
		return status;
	}

	/**
	 * Holder A's lease runs out between its decision and its write, and B acquires: neither may lose
	 * the other's reservation, and once B has written A can change nothing.
	 */
	@Test
	void aStaleHolderCanNeitherLoseAReservationNorOverwriteItsSuccessor() {
		LockLease stale = this.locks.tryAcquire("inventory:" + this.sku, Duration.ofMillis(100)).orElseThrow();
		assertThat(this.store.read(this.sku).stock()).isEqualTo(100);
		while (stale.isValid()) {
			Thread.onSpinWait();
		}
		LockLease current = this.locks.tryAcquire("inventory:" + this.sku, Duration.ofSeconds(10), Duration.ofSeconds(5))
			.orElseThrow();
		assertThat(current.fencingToken()).isGreaterThan(stale.fencingToken());
		assertThat(this.store.read(this.sku).stock()).isEqualTo(100);

		InventoryStore.Reservation first = this.store.reserve(this.sku, stale.fencingToken());
		InventoryStore.Reservation second = this.store.reserve(this.sku, current.fencingToken());
		assertThat(first.outcome()).isEqualTo(InventoryStore.Outcome.RESERVED);
		assertThat(second.outcome()).isEqualTo(InventoryStore.Outcome.RESERVED);
		assertThat(this.store.read(this.sku)).as("both reservations counted, none lost")
			.isEqualTo(new Inventory(this.sku, 98, 2, current.fencingToken()));

		InventoryStore.Reservation late = this.store.reserve(this.sku, stale.fencingToken());
		assertThat(late.outcome()).isEqualTo(InventoryStore.Outcome.STALE);
		assertThat(this.store.read(this.sku)).as("the stale holder changed nothing")
			.isEqualTo(new Inventory(this.sku, 98, 2, current.fencingToken()));
		current.release();
	}

	/**
	 * The reservation is written, then the lock turns out to have been taken over: the work was done,
	 * so the client gets its 200 (the loss is counted and published as a LockLostEvent).
	 */
	@Test
	void aLockLostAfterTheReservationWasWrittenStillAnswers200() throws Exception {
		String lockKey = this.keys.tagged("lock", "held", "inventory:" + this.sku);
		doAnswer((invocation) -> {
			Object result = invocation.callRealMethod();
			this.redis.opsForValue().set(lockKey, "another-owner", Duration.ofSeconds(10));
			return result;
		}).when(this.store).reserve(eq(this.sku), anyLong());

		this.mvc.perform(post("/api/inventory/{sku}/reserve", this.sku))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.stock").value(99))
			.andExpect(jsonPath("$.reserved").value(1));
		assertThat(this.redis.opsForValue().get(lockKey)).as("the other owner's lock is left alone")
			.isEqualTo("another-owner");
		this.redis.delete(lockKey);
	}

	@Test
	void auditReadsSkusWhoseKeyIsEscaped() throws Exception {
		// ':' through HTTP; '%' is refused in URLs by Spring Security's firewall, so straight to the store.
		String odd = "odd:" + this.sku;
		String percent = "pct%41" + this.sku;
		LockLease lease = this.locks.tryAcquire("inventory:" + percent, Duration.ofSeconds(10)).orElseThrow();
		assertThat(this.store.reserve(percent, lease.fencingToken()).outcome())
			.isEqualTo(InventoryStore.Outcome.RESERVED);
		lease.release();
		this.mvc.perform(post("/api/inventory/{sku}/reserve", odd)).andExpect(status().isOk());
		this.mvc.perform(get("/api/inventory/{sku}", odd))
			.andExpect(jsonPath("$.sku").value(odd))
			.andExpect(jsonPath("$.stock").value(99))
			.andExpect(jsonPath("$.reserved").value(1));
		String key = this.keys.key("inventory", "sku", odd);
		List<Inventory> seen = new ArrayList<>();
		this.store.forEach((inventory) -> {
			if (inventory.sku().equals(odd) || inventory.sku().equals(percent)) {
				seen.add(inventory);
			}
		});
		assertThat(seen).containsExactlyInAnyOrder(
				new Inventory(odd, 99, 1, this.store.read(odd).lastFencingToken()),
				new Inventory(percent, 99, 1, lease.fencingToken()));

		this.redis.opsForHash().increment(key, "stock", 5);
		try {
			awaitAuditLockFree();
			int runs = this.audit.runs();
			assertThat(this.audit.audit()).as("the unbalanced record is read under its own SKU").isEqualTo(1);
			assertThat(this.audit.runs()).isEqualTo(runs + 1);
		}
		finally {
			this.redis.delete(key);
			this.redis.delete(this.keys.key("inventory", "sku", percent));
			awaitAuditLockFree();
		}
	}

	/** Waits until no audit run holds its lock any more (holdAtLeast keeps it after a run). */
	private void awaitAuditLockFree() {
		this.locks.tryAcquire("inventory-audit", Duration.ofMillis(1), Duration.ofSeconds(20)).orElseThrow().release();
	}

	@Test
	void auditJobIsSkippedWhileAnotherInstanceHoldsItsLock() {
		LockLease other = this.locks.tryAcquire("inventory-audit", Duration.ofSeconds(30)).orElseThrow();
		int before = this.audit.runs();
		assertThat(this.audit.audit()).isZero();
		assertThat(this.audit.runs()).isEqualTo(before);
		other.release();
		this.audit.audit();
		assertThat(this.audit.runs()).isEqualTo(before + 1);
		assertThat(this.locks.tryAcquire("inventory-audit", Duration.ofSeconds(1))).as("held for holdAtLeast").isEmpty();
	}

	@Test
	void actuatorShowsTheLockSections() throws Exception {
		LockLease lease = this.locks.tryAcquire("inventory:" + this.sku, Duration.ofSeconds(30)).orElseThrow();
		this.mvc.perform(get("/actuator/redispatterns"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.patterns.lock.wakeUps").value("sharded-pubsub"))
			.andExpect(jsonPath("$.patterns.lock.held[?(@.name == 'inventory:" + this.sku + "')].fencingToken")
				.value(lease.fencingToken()));
		this.mvc.perform(get("/actuator/health"))
			.andExpect(jsonPath("$.components.redisPatterns.details.lock.status").value("UP"));
		lease.release();
	}

}
