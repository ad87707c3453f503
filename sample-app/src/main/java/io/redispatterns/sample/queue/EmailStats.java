package io.redispatterns.sample.queue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.redispatterns.queue.JobCompletedEvent;
import io.redispatterns.queue.JobFailedEvent;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Counts distinct e-mail jobs of this instance from the queue's lifecycle events.
 */
@Component
class EmailStats {

	final AtomicLong enqueued = new AtomicLong();

	final Set<String> completed = ConcurrentHashMap.newKeySet();

	final Set<String> retried = ConcurrentHashMap.newKeySet();

	@EventListener
	void on(JobCompletedEvent event) {
		if (event.queue().equals(EmailSender.QUEUE)) {
			this.completed.add(event.id().value());
		}
	}

	@EventListener
	void on(JobFailedEvent event) {
		if (event.queue().equals(EmailSender.QUEUE)) {
			this.retried.add(event.id().value());
		}
	}

}
