package io.redispatterns.sample.lock;

import java.time.Duration;
import java.util.Map;

import io.redispatterns.lock.LockNotAcquiredException;
import io.redispatterns.lock.LockOptions;
import io.redispatterns.lock.LockTemplate;
import io.redispatterns.lock.LockUnavailableException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reserves inventory under a distributed lock per SKU, writing with the lease's fencing token.
 */
@RestController
class InventoryController {

	private static final LockOptions RESERVE = LockOptions.defaults()
		.withWait(Duration.ofSeconds(5))
		.withLease(Duration.ofSeconds(10))
		.withLogicalName("inventory");

	private final LockTemplate locks;

	private final InventoryStore store;

	InventoryController(LockTemplate locks, InventoryStore store) {
		this.locks = locks;
		this.store = store;
	}

	@GetMapping("/api/inventory/{sku}")
	Inventory inventory(@PathVariable String sku) {
		return this.store.read(sku);
	}

	@PostMapping("/api/inventory/{sku}/reserve")
	ResponseEntity<Map<String, Object>> reserve(@PathVariable String sku) {
		return this.locks.executeWithLock("inventory:" + sku, RESERVE, (lease) -> {
			Inventory current = this.store.read(sku);
			if (current.stock() <= 0) {
				return ResponseEntity.status(HttpStatus.CONFLICT)
					.body(Map.of("sku", sku, "error", "sold-out", "stock", 0));
			}
			Inventory next = new Inventory(sku, current.stock() - 1, current.reserved() + 1, lease.fencingToken());
			if (!this.store.write(next, lease.fencingToken())) {
				return ResponseEntity.status(HttpStatus.CONFLICT)
					.body(Map.of("sku", sku, "error", "stale-fencing-token", "fencingToken", lease.fencingToken()));
			}
			return ResponseEntity.ok(Map.of("sku", sku, "fencingToken", lease.fencingToken(), "stock", next.stock(),
					"reserved", next.reserved()));
		});
	}

	@ExceptionHandler(LockNotAcquiredException.class)
	ResponseEntity<Map<String, Object>> busy(LockNotAcquiredException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1")
			.body(Map.of("error", "busy", "message", ex.getMessage()));
	}

	@ExceptionHandler(LockUnavailableException.class)
	ResponseEntity<Map<String, Object>> unavailable(LockUnavailableException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.body(Map.of("error", "lock-unavailable", "message", ex.getMessage()));
	}

}
