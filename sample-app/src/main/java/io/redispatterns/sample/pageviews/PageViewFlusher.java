package io.redispatterns.sample.pageviews;

import java.util.LinkedHashMap;
import java.util.Map;

import io.redispatterns.writebehind.WriteBehindBatch;
import io.redispatterns.writebehind.WriteBehindFlush;

import org.springframework.stereotype.Component;

/**
 * Persists the buffered page views: up to 500 products per batch, every second (5 s would suit a real
 * database; the sample wants totals to show up quickly). The batch id goes into the same "transaction" as
 * the counts, so a batch flushed again after a crash is skipped.
 */
@Component
class PageViewFlusher {

	private final ProductViewsDatabase database;

	PageViewFlusher(ProductViewsDatabase database) {
		this.database = database;
	}

	@WriteBehindFlush(buffer = PageViewFilter.BUFFER, maxBatch = 500, every = "${sample.page-views.flush-every:1s}")
	void persist(WriteBehindBatch<Long> batch) {
		Map<Long, Long> counts = new LinkedHashMap<>();
		batch.items().forEach((product, views) -> counts.put(Long.valueOf(product), views));
		this.database.apply(batch.id(), counts);
	}

}
