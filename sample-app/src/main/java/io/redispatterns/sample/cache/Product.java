package io.redispatterns.sample.cache;

import java.math.BigDecimal;

/**
 * A product of the sample catalog.
 *
 * @param id the id
 * @param name the name
 * @param price the price
 */
public record Product(long id, String name, BigDecimal price) {
}
