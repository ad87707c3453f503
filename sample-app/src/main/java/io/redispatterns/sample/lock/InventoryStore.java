package io.redispatterns.sample.lock;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.RedisScripts;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The protected resource: inventory records in a Redis hash per SKU. Every write carries the
 * writer's fencing token and is rejected when an equal-or-newer holder already wrote with a larger
 * token, so a holder whose lock expired mid-request cannot overwrite its successor's work.
 */
@Component
public class InventoryStore {

	private static final Duration RETENTION = Duration.ofDays(1);

	private static final RedisScript<Long> FENCED_WRITE = RedisScripts.load(InventoryStore.class, "fenced-write.lua",
			Long.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	InventoryStore(StringRedisTemplate redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * Reads a SKU's inventory; an unknown SKU has {@link Inventory#INITIAL_STOCK} units.
	 * @param sku the SKU
	 * @return the inventory
	 */
	public Inventory read(String sku) {
		List<Object> fields = this.redis.opsForHash().multiGet(key(sku), Arrays.asList("stock", "reserved", "lastFencingToken"));
		if (fields.get(0) == null) {
			return new Inventory(sku, Inventory.INITIAL_STOCK, 0, 0);
		}
		return new Inventory(sku, parse(fields.get(0)), parse(fields.get(1)), parse(fields.get(2)));
	}

	/**
	 * Writes a SKU's inventory unless a write with a larger fencing token was accepted before.
	 * @param inventory the new state
	 * @param fencingToken the writer's fencing token
	 * @return whether the write was accepted
	 */
	public boolean write(Inventory inventory, long fencingToken) {
		Long written = this.redis.execute(FENCED_WRITE, List.of(key(inventory.sku())), Long.toString(fencingToken),
				Long.toString(inventory.stock()), Long.toString(inventory.reserved()),
				Long.toString(RETENTION.toSeconds()));
		return written != null && written == 1L;
	}

	private String key(String sku) {
		return this.keys.key("inventory", "sku", sku);
	}

	private static long parse(Object value) {
		return (value != null) ? Long.parseLong(value.toString()) : 0;
	}

}
