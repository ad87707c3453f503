package io.redispatterns.sample.cache;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
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
	 * Loads many products with one slow query (about 200 ms, counted as one load).
	 * @param ids the ids
	 * @return the products found, by id; unknown ids are left out
	 */
	public Map<Long, Product> loadAll(Collection<Long> ids) {
		this.loads.incrementAndGet();
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Map<Long, Product> found = new LinkedHashMap<>();
		for (Long id : ids) {
			Product product = this.products.get(id);
			if (product != null) {
				found.put(id, product);
			}
		}
		return found;
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
	 * Returns how many times {@link #load(long)} and {@link #loadAll(Collection)} ran.
	 * @return the number of loads
	 */
	public long loads() {
		return this.loads.get();
	}

}
