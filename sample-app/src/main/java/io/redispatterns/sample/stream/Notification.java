package io.redispatterns.sample.stream;

/**
 * A pub/sub notification about an order.
 *
 * @param orderId the order's id
 * @param message what happened
 */
public record Notification(String orderId, String message) {

}
