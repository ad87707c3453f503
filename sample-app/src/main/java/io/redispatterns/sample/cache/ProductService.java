package io.redispatterns.sample.cache;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.redispatterns.cache.CacheInvalidate;
import io.redispatterns.cache.CacheTemplate;
import io.redispatterns.cache.CachedWithLock;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

/**
 * Reads products through the Redis cache and invalidates them on update.
 */
@Service
public class ProductService {

	private final SlowProductRepository repository;

	private final CacheTemplate caches;

	public ProductService(SlowProductRepository repository, CacheTemplate caches) {
		this.repository = repository;
		this.caches = caches;
	}

	/**
	 * Returns many products with one Redis round trip ({@code MGET}); the ones not cached are loaded
	 * with one repository query and stored, each key loaded by one caller across all instances.
	 * @param ids the ids
	 * @return the products found, in the order of {@code ids}
	 */
	public List<Product> products(List<Long> ids) {
		Map<Long, Product> found = this.caches.getAll("products", ids, Product.class, this.repository::loadAll);
		return ids.stream().map(found::get).filter(Objects::nonNull).toList();
	}

	/**
	 * Returns a product: from Redis on a hit (one GET); on a miss exactly one caller across all
	 * instances loads it while the others wait for the stored value.
	 * @param id the id
	 * @return the product, or {@code null} when there is none (cached for 30s)
	 */
	@CachedWithLock(cache = "products", key = "#id", tags = "'products'")
	public @Nullable Product product(long id) {
		return this.repository.load(id);
	}

	/**
	 * Updates a product and evicts its entry (by key) and every entry tagged {@code products}.
	 * @param id the id
	 * @param update the new values
	 * @return the updated product
	 */
	@CacheInvalidate(cache = "products", key = "#id", tags = "'products'")
	public Product update(long id, ProductUpdate update) {
		Product product = new Product(id, update.name(), update.price());
		this.repository.save(product);
		return product;
	}

}
