package io.redispatterns.sample.lock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import io.redispatterns.core.LuaScript;
import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.ScriptResult;

import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The protected resource: inventory records in a Redis hash per SKU. A reservation is one script
 * that checks the writer's fencing token, reads the stock and decrements it atomically. It is
 * applied only when its token is strictly greater than the last one accepted: an older token is
 * rejected, so a holder whose lock expired mid-request cannot change a record its successor already
 * wrote; an equal token is the same reservation sent again (Lettuce re-sends a command whose reply
 * was lost), which is reported as {@link Outcome#ALREADY_RESERVED} and not applied twice. No holder
 * ever writes back a value it read earlier, so two holders who both believed they held the lock
 * cannot lose a reservation.
 */
@Component
public class InventoryStore {

	private static final Duration RETENTION = Duration.ofDays(1);

	private static final LuaScript<List<Object>> FENCED_RESERVE = LuaScript.load(InventoryStore.class,
			"fenced-write.lua", ScriptResult.LIST);

	private static final List<Object> FIELDS = Arrays.asList("sku", "stock", "reserved", "lastFencingToken");

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final RedisKeys keys;

	InventoryStore(StringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.scripts = new LuaScriptRunner(redis::getRequiredConnectionFactory);
		this.keys = keys;
	}

	/**
	 * Reads a SKU's inventory; an unknown SKU has {@link Inventory#INITIAL_STOCK} units.
	 * @param sku the SKU
	 * @return the inventory
	 */
	public Inventory read(String sku) {
		List<Object> fields = this.redis.opsForHash().multiGet(key(sku), FIELDS);
		return (fields.get(1) != null) ? inventory(sku, fields) : new Inventory(sku, Inventory.INITIAL_STOCK, 0, 0);
	}

	/**
	 * Reserves one unit for the holder of a lock, unless the SKU is sold out, a writer with a larger
	 * fencing token was accepted before, or this token's reservation is already in place.
	 * @param sku the SKU
	 * @param fencingToken the writer's fencing token
	 * @return the outcome and the inventory after it
	 */
	public Reservation reserve(String sku, long fencingToken) {
		List<?> reply = this.scripts.run(FENCED_RESERVE, List.of(key(sku)), Long.toString(fencingToken),
				Long.toString(Inventory.INITIAL_STOCK), Long.toString(RETENTION.toSeconds()), sku);
		long outcome = ((Number) reply.get(0)).longValue();
		Inventory inventory = new Inventory(sku, ((Number) reply.get(1)).longValue(),
				((Number) reply.get(2)).longValue(), ((Number) reply.get(3)).longValue());
		return new Reservation(outcome(outcome), inventory);
	}

	/**
	 * Calls {@code action} with every stored SKU's inventory (a {@code SCAN}, never {@code KEYS}). The
	 * SKU is read from the record, since a key holds it escaped (and long ones shortened).
	 * @param action what to do with each record
	 */
	public void forEach(Consumer<Inventory> action) {
		String namespace = this.keys.namespace("inventory", "sku");
		List<String> keys = new ArrayList<>();
		this.redis.execute((RedisCallback<Void>) (connection) -> {
			try (Cursor<byte[]> cursor = connection.keyCommands()
				.scan(ScanOptions.scanOptions().match(namespace + "*").count(100).build())) {
				cursor.forEachRemaining((key) -> keys.add(new String(key, StandardCharsets.UTF_8)));
			}
			return null;
		});
		for (String key : keys) {
			List<Object> fields = this.redis.opsForHash().multiGet(key, FIELDS);
			if (fields.get(1) != null) {
				Object sku = fields.get(0);
				action.accept(inventory((sku != null) ? sku.toString() : key.substring(namespace.length()), fields));
			}
		}
	}

	private static Outcome outcome(long code) {
		return switch ((int) code) {
			case 1 -> Outcome.RESERVED;
			case 2 -> Outcome.ALREADY_RESERVED;
			case 0 -> Outcome.SOLD_OUT;
			default -> Outcome.STALE;
		};
	}

	private String key(String sku) {
		return this.keys.key("inventory", "sku", sku);
	}

	private static Inventory inventory(String sku, List<Object> fields) {
		return new Inventory(sku, parse(fields.get(1)), parse(fields.get(2)), parse(fields.get(3)));
	}

	private static long parse(Object value) {
		return (value != null) ? Long.parseLong(value.toString()) : 0;
	}

	/** What a reservation did. */
	public enum Outcome {

		/** One unit was reserved. */
		RESERVED,

		/**
		 * The reservation with this fencing token was already applied (the same write arrived again,
		 * as a command re-sent after a lost reply does); nothing changed.
		 */
		ALREADY_RESERVED,

		/** Nothing left to reserve. */
		SOLD_OUT,

		/** Rejected: a writer with a larger fencing token was accepted before. */
		STALE

	}

	/**
	 * The result of {@link #reserve(String, long)}.
	 * @param outcome what happened
	 * @param inventory the inventory afterwards
	 */
	public record Reservation(Outcome outcome, Inventory inventory) {
	}

}
