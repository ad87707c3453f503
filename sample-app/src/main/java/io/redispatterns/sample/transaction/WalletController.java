package io.redispatterns.sample.transaction;

import java.util.List;
import java.util.Map;

import io.redispatterns.core.RedisKeys;
import io.redispatterns.transaction.RedisTransactions;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Wallets whose balances move with optimistic transactions: {@code POST /api/wallets/{id}/deposit},
 * {@code POST /api/wallets/transfer} (409 when the balance is short) and {@code GET /api/wallets/{id}}.
 * Every wallet key carries the hash tag {@code {wallets}}, so a transfer's two keys share a Cluster
 * slot. (A Lua script would do this in one round trip; the sample shows the transaction API.)
 */
@RestController
class WalletController {

	private final RedisTransactions transactions;

	private final RedisKeys keys;

	WalletController(RedisTransactions transactions, RedisKeys keys) {
		this.transactions = transactions;
		this.keys = keys;
	}

	record Amount(long amount) {
	}

	record Transfer(String from, String to, long amount) {
	}

	@PostMapping("/api/wallets/{id}/deposit")
	ResponseEntity<Map<String, Object>> deposit(@PathVariable String id, @RequestBody Amount request) {
		if (request.amount() <= 0) {
			return ResponseEntity.badRequest().body(Map.of("error", "amount must be positive"));
		}
		String key = key(id);
		long balance = this.transactions.optimistic(List.of(key), (tx) -> {
			long next = balance(tx.get(key)) + request.amount();
			tx.set(key, Long.toString(next));
			return next;
		});
		return ResponseEntity.ok(Map.of("wallet", id, "balance", balance));
	}

	@PostMapping("/api/wallets/transfer")
	ResponseEntity<Map<String, Object>> transfer(@RequestBody Transfer request) {
		if (request.amount() <= 0 || request.from().equals(request.to())) {
			return ResponseEntity.badRequest().body(Map.of("error", "a positive amount between two wallets"));
		}
		String from = key(request.from());
		String to = key(request.to());
		Long remaining = this.transactions.optimistic(List.of(from, to), (tx) -> {
			long available = balance(tx.get(from));
			if (available < request.amount()) {
				return null;
			}
			tx.set(from, Long.toString(available - request.amount()));
			tx.set(to, Long.toString(balance(tx.get(to)) + request.amount()));
			return available - request.amount();
		});
		if (remaining == null) {
			return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "insufficient-funds"));
		}
		return ResponseEntity.ok(Map.of("from", request.from(), "balance", remaining));
	}

	@GetMapping("/api/wallets/{id}")
	Map<String, Object> wallet(@PathVariable String id) {
		String key = key(id);
		long balance = this.transactions.optimistic(List.of(key), (tx) -> balance(tx.get(key)));
		return Map.of("wallet", id, "balance", balance);
	}

	private String key(String id) {
		return this.keys.tagged("wallet", "balance", "wallets", id);
	}

	private static long balance(String value) {
		return (value != null) ? Long.parseLong(value) : 0;
	}

}
