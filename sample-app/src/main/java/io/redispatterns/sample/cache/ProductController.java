package io.redispatterns.sample.cache;

import java.util.List;
import java.util.Map;

import io.redispatterns.responsecache.CachedResponse;
import io.redispatterns.responsecache.HttpResponseCache;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/products/{id}}, {@code GET /api/products?ids=1,2,3}, {@code GET /api/products/stats} and
 * {@code PUT /api/products/{id}}. Product responses are cached whole ({@code @CachedResponse}: {@code ETag},
 * {@code 304} to {@code If-None-Match}, tagged {@code products}); the update evicts them by that tag, as it
 * evicts the data cache's entries.
 */
@RestController
@RequestMapping("/api/products")
public class ProductController {

	private final ProductService products;

	private final SlowProductRepository repository;

	private final HttpResponseCache responses;

	public ProductController(ProductService products, SlowProductRepository repository,
			HttpResponseCache responses) {
		this.products = products;
		this.repository = repository;
		this.responses = responses;
	}

	@CachedResponse(ttl = "30s", tags = { "products", "product:{id}" })
	@GetMapping("/{id}")
	public ResponseEntity<Product> product(@PathVariable long id) {
		Product product = this.products.product(id);
		return (product != null) ? ResponseEntity.ok(product) : ResponseEntity.notFound().build();
	}

	/** At most this many ids per request: one request must not read or load an unbounded batch. */
	static final int MAX_IDS = 100;

	@GetMapping(params = "ids")
	public ResponseEntity<List<Product>> products(@RequestParam List<Long> ids) {
		if (ids.size() > MAX_IDS) {
			return ResponseEntity.badRequest().build();
		}
		return ResponseEntity.ok(this.products.products(ids));
	}

	@GetMapping("/stats")
	public Map<String, Long> stats() {
		return Map.of("loads", this.repository.loads());
	}

	@PutMapping("/{id}")
	public ResponseEntity<Product> update(@PathVariable long id, @RequestBody ProductUpdate update) {
		if (!this.repository.exists(id)) {
			return ResponseEntity.notFound().build();
		}
		Product updated = this.products.update(id, update);
		// every cached product response, like the data cache's 'products' tag
		this.responses.evictTags("products");
		return ResponseEntity.ok(updated);
	}

}
