/**
 * Write-behind: a page-view counter on {@code GET /api/products/{id}}, buffered in Redis and flushed in
 * batches to an in-memory "database" that is idempotent by batch id.
 */
@NullMarked
package io.redispatterns.sample.pageviews;

import org.jspecify.annotations.NullMarked;
