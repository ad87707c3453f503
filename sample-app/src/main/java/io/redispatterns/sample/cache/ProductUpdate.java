package io.redispatterns.sample.cache;

import java.math.BigDecimal;

/**
 * The body of {@code PUT /api/products/{id}}.
 *
 * @param name the new name
 * @param price the new price
 */
public record ProductUpdate(String name, BigDecimal price) {
}
