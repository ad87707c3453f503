package io.redispatterns.sample.lock;

import java.util.concurrent.atomic.AtomicInteger;

import io.redispatterns.lock.DistributedLock;
import io.redispatterns.lock.OnBusy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Checks every SKU's books (stock + reserved = 100) on one instance at a time: every instance
 * schedules it, the lock lets one run, the others skip, and {@code holdAtLeast} keeps a fast run
 * from being repeated by an instance whose schedule is slightly behind.
 */
@Component
public class InventoryAuditJob {

	private static final Log logger = LogFactory.getLog(InventoryAuditJob.class);

	private final InventoryStore store;

	private final AtomicInteger runs = new AtomicInteger();

	InventoryAuditJob(InventoryStore store) {
		this.store = store;
	}

	/**
	 * Audits all SKUs.
	 * @return the number of SKUs whose books do not balance
	 */
	@Scheduled(fixedDelayString = "${sample.inventory.audit-interval:30s}", initialDelayString = "${sample.inventory.audit-interval:30s}")
	@DistributedLock(name = "inventory-audit", lease = "30s", onBusy = OnBusy.SKIP, holdAtLeast = "${sample.inventory.audit-hold:10s}")
	public int audit() {
		this.runs.incrementAndGet();
		int[] counts = new int[2];
		this.store.forEach((inventory) -> {
			counts[0]++;
			if (inventory.stock() + inventory.reserved() != Inventory.INITIAL_STOCK) {
				counts[1]++;
				logger.warn("Inventory of " + inventory.sku() + " does not balance: " + inventory);
			}
		});
		logger.info("Inventory audit: " + counts[0] + " SKUs checked, " + counts[1] + " out of balance");
		return counts[1];
	}

	/**
	 * Returns how many times the audit ran on this instance.
	 * @return the number of runs
	 */
	public int runs() {
		return this.runs.get();
	}

}
