package io.redispatterns.sample.queue;

import java.util.Map;

import io.redispatterns.queue.JobContext;
import io.redispatterns.queue.RedisJobHandler;

import org.springframework.stereotype.Component;

/**
 * Sends e-mails from the {@code emails} queue: up to 4 at once per instance, 3 attempts each, then dead
 * letters. The first {@code failTimes} attempts of a job fail, as a flaky mail server would.
 */
@Component
class EmailSender {

	static final String QUEUE = "emails";

	@RedisJobHandler(queue = QUEUE, concurrency = 4, maxAttempts = 3)
	Map<String, String> send(SendEmail email, JobContext context) {
		context.log("attempt " + context.attempt() + " to " + email.to());
		if (context.attempt() <= email.failTimes()) {
			throw new IllegalStateException("Mail server unavailable (attempt " + context.attempt() + ")");
		}
		context.progress(100);
		return Map.of("to", email.to(), "subject", email.subject(), "messageId", context.id().value() + "@sample");
	}

}
