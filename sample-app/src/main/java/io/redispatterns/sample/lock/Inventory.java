package io.redispatterns.sample.lock;

/**
 * Stock of one SKU.
 *
 * @param sku the SKU
 * @param stock units still available
 * @param reserved units reserved so far
 * @param lastFencingToken fencing token of the last accepted write (0 before the first)
 */
public record Inventory(String sku, long stock, long reserved, long lastFencingToken) {

	/** Units every SKU starts with. */
	public static final long INITIAL_STOCK = 100;

}
