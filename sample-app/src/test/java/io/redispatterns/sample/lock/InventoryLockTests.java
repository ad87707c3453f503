package io.redispatterns.sample.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.redispatterns.lock.LockLease;
import io.redispatterns.lock.LockTemplate;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.greaterThan;
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

	@Autowired
	private InventoryStore store;

	@Autowired
	private InventoryAuditJob audit;

	@Autowired
	private LockTemplate locks;

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
			statuses.add(pool.submit(() -> this.mvc.perform(post("/api/inventory/{sku}/reserve", this.sku))
				.andReturn()
				.getResponse()
				.getStatus()));
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

	@Test
	void storeRejectsAWriteCarryingAnOlderFencingToken() {
		LockLease stale = this.locks.tryAcquire("inventory:" + this.sku, Duration.ofMillis(100)).orElseThrow();
		while (stale.isValid()) {
			Thread.onSpinWait();
		}
		LockLease current = this.locks.tryAcquire("inventory:" + this.sku, Duration.ofSeconds(10), Duration.ofSeconds(5))
			.orElseThrow();
		assertThat(this.store.write(new Inventory(this.sku, 99, 1, 0), current.fencingToken())).isTrue();
		assertThat(this.store.write(new Inventory(this.sku, 42, 58, 0), stale.fencingToken())).isFalse();
		assertThat(this.store.read(this.sku)).isEqualTo(new Inventory(this.sku, 99, 1, current.fencingToken()));
		current.release();
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
