package io.redispatterns.sample.stream;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.redispatterns.idempotency.Idempotent;
import io.redispatterns.stream.DeadLetter;
import io.redispatterns.stream.StreamDeadLetters;
import io.redispatterns.stream.StreamPublisher;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Publishes orders to the {@code orders} stream and shows what billing made of them.
 */
@RestController
@RequestMapping("/api/orders")
class OrdersController {

	private static final int MAX_LISTED = 1000;

	private final StreamPublisher publisher;

	private final StreamDeadLetters deadLetters;

	private final OrderStats stats;

	OrdersController(StreamPublisher publisher, StreamDeadLetters deadLetters, OrderStats stats) {
		this.publisher = publisher;
		this.deadLetters = deadLetters;
		this.stats = stats;
	}

	record NewOrder(@Nullable BigDecimal amount) {
	}

	/**
	 * Places an order. A client that lost the response (timeout, dropped connection) retries with
	 * the same {@code Idempotency-Key} header and gets the first response: the order is published
	 * once.
	 */
	@Idempotent
	@PostMapping
	Map<String, String> place(@RequestBody NewOrder order) {
		if (order.amount() == null) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "amount is required");
		}
		String id = UUID.randomUUID().toString();
		String entryId = this.publisher.publish("orders", new OrderPlaced(id, order.amount()));
		this.stats.published.incrementAndGet();
		return Map.of("id", id, "entryId", entryId);
	}

	@GetMapping("/stats")
	Map<String, Long> stats() {
		long deadLettered = this.deadLetters.list("orders", MAX_LISTED)
			.stream()
			.map(OrdersController::orderId)
			.filter(Objects::nonNull)
			.distinct()
			.count();
		return Map.of("published", this.stats.published.get(), "processed", (long) this.stats.processed.size(),
				"deadLettered", deadLettered);
	}

	@GetMapping("/dead-letters")
	List<DeadLetter> deadLetters() {
		return this.deadLetters.list("orders", 100);
	}

	@PostMapping("/dead-letters/replay")
	Map<String, Long> replay() {
		return Map.of("replayed", this.deadLetters.replay("orders", 100));
	}

	private static @Nullable String orderId(DeadLetter letter) {
		String payload = letter.payload();
		if (payload == null) {
			return null;
		}
		int at = payload.indexOf("\"orderId\":\"");
		if (at < 0) {
			return null;
		}
		int start = at + "\"orderId\":\"".length();
		int end = payload.indexOf('"', start);
		return (end > start) ? payload.substring(start, end) : null;
	}

}
