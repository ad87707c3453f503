package io.redispatterns.sample.pageviews;

import java.util.Map;

import io.redispatterns.writebehind.BufferState;
import io.redispatterns.writebehind.WriteBehinds;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/products/{id}/views}: the product's views as persisted in the "database", and the
 * buffer's backlog (views counted in Redis, not yet flushed).
 */
@RestController
class ProductViewsController {

	private final ProductViewsDatabase database;

	private final WriteBehinds buffers;

	ProductViewsController(ProductViewsDatabase database, WriteBehinds buffers) {
		this.database = database;
		this.buffers = buffers;
	}

	@GetMapping("/api/products/{id}/views")
	Map<String, Object> views(@PathVariable long id) {
		BufferState state = this.buffers.state(PageViewFilter.BUFFER);
		return Map.of("productId", id, "views", this.database.views(id), "backlog", state.backlog());
	}

}
