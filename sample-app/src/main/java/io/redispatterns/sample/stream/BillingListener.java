package io.redispatterns.sample.stream;

import io.redispatterns.pubsub.PubSubPublisher;
import io.redispatterns.stream.RedisStreamListener;
import io.redispatterns.stream.StreamDelivery;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Bills orders from the {@code orders} stream. A negative amount always fails, so after
 * {@code max-deliveries} attempts the order lands in the dead-letter stream.
 */
@Component
class BillingListener {

	private static final Log logger = LogFactory.getLog(BillingListener.class);

	private final OrderStats stats;

	private final PubSubPublisher notifications;

	BillingListener(OrderStats stats, PubSubPublisher notifications) {
		this.stats = stats;
		this.notifications = notifications;
	}

	@RedisStreamListener(stream = "orders", group = "billing", concurrency = 4)
	void bill(OrderPlaced order, StreamDelivery delivery) {
		if (order.amount().signum() < 0) {
			logger.info("Billing order " + order.orderId() + " failed (attempt " + delivery.attempt() + ")");
			throw new IllegalArgumentException("Cannot bill a negative amount: " + order.amount());
		}
		this.stats.processed.add(order.orderId());
		this.notifications.publish("notifications",
				new Notification(order.orderId(), "billed " + order.amount() + " (attempt " + delivery.attempt() + ")"));
	}

}
