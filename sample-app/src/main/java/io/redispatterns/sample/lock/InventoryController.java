package io.redispatterns.sample.lock;

import java.time.Duration;
import java.util.Map;

import io.redispatterns.idempotency.Idempotent;
import io.redispatterns.lock.LockNotAcquiredException;
import io.redispatterns.lock.LockOptions;
import io.redispatterns.lock.LockTemplate;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reserves inventory under a distributed lock per SKU; the store checks the lease's fencing token
 * and decrements the stock in one script, so even a holder whose lock expired cannot lose a
 * reservation or overwrite its successor's. A lock found lost after the reservation was written
 * does not turn it into an error: {@code executeWithLock} returns the result (the loss is published
 * as a {@code LockLostEvent} and counted), so the client gets the {@code 200} it is owed.
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

	/**
	 * Reserves one unit. Retried with the same {@code Idempotency-Key} header, the reservation is
	 * applied once and the retry gets the first response (also a sold-out 409); a busy or
	 * unavailable lock (503) is not stored, so its retry runs again.
	 */
	@Idempotent
	@PostMapping("/api/inventory/{sku}/reserve")
	ResponseEntity<?> reserve(@PathVariable String sku) {
		return this.locks.executeWithLock("inventory:" + sku, RESERVE, (lease) -> {
			long token = lease.fencingToken();
			InventoryStore.Reservation result = this.store.reserve(sku, token);
			return switch (result.outcome()) {
				// ALREADY_RESERVED: the store got this write twice (a re-sent command) and applied it once
				case RESERVED, ALREADY_RESERVED -> ResponseEntity
					.ok(new Reservation(sku, token, result.inventory().stock(), result.inventory().reserved()));
				case SOLD_OUT -> ResponseEntity.status(HttpStatus.CONFLICT).body(new Rejection(sku, "sold-out", token));
				case STALE -> ResponseEntity.status(HttpStatus.CONFLICT)
					.body(new Rejection(sku, "stale-fencing-token", token));
			};
		});
	}

	/**
	 * A successful reservation.
	 * @param sku the SKU
	 * @param fencingToken the token the write carried
	 * @param stock units left
	 * @param reserved units reserved
	 */
	record Reservation(String sku, long fencingToken, long stock, long reserved) {
	}

	/**
	 * A refused reservation: {@code sold-out}, or {@code stale-fencing-token} when the store
	 * already accepted a write from a newer holder.
	 * @param sku the SKU
	 * @param error why
	 * @param fencingToken the token of this attempt
	 */
	record Rejection(String sku, String error, long fencingToken) {
	}

	@ExceptionHandler(LockNotAcquiredException.class)
	ResponseEntity<Map<String, Object>> busy(LockNotAcquiredException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1")
			.body(Map.of("error", "busy", "message", ex.getMessage()));
	}

	// A LockUnavailableException (Redis down or not answering) needs no handler here: the library answers it, like
	// every Redis fault, with a 503 (or 504 when the outcome is unknown) problem response.

}
