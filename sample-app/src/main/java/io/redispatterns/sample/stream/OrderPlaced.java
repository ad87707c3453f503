package io.redispatterns.sample.stream;

import java.math.BigDecimal;

/**
 * An order was placed.
 *
 * @param orderId the order's id
 * @param amount the amount to bill; negative amounts always fail billing
 */
public record OrderPlaced(String orderId, BigDecimal amount) {

}
