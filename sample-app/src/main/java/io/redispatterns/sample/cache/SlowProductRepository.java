package io.redispatterns.sample.cache;

import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Repository;

/**
 * Stands in for a slow database: every load takes about 200 ms and is counted.
 */
@Repository
public class SlowProductRepository {

	private final Map<Long, Product> products = new ConcurrentHashMap<>();

	private final AtomicLong loads = new AtomicLong();

	public SlowProductRepository() {
		for (long id = 1; id <= 20; id++) {
			this.products.put(id, new Product(id, "Product " + id, BigDecimal.valueOf(id * 10 + 0.99)));
		}
	}

	/**
	 * Loads a product, slowly.
	 * @param id the id
	 * @return the product, or {@code null} when there is none
	 */
	public @Nullable Product load(long id) {
		this.loads.incrementAndGet();
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return this.products.get(id);
	}

	/**
	 * Stores a product.
	 * @param product the product
	 */
	public void save(Product product) {
		this.products.put(product.id(), product);
	}

	/**
	 * Tells whether a product exists (a fast query).
	 * @param id the id
	 * @return {@code true} when it exists
	 */
	public boolean exists(long id) {
		return this.products.containsKey(id);
	}

	/**
	 * Returns how many times {@link #load(long)} ran.
	 * @return the number of loads
	 */
	public long loads() {
		return this.loads.get();
	}

}
