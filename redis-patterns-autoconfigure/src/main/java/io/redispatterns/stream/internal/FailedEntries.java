package io.redispatterns.stream.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.stream.StreamHeaders;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Internal: what happens to an entry whose handler failed: it stays pending and is delivered again after the
 * retry back-off, and after {@code max-deliveries} deliveries (or at once when it cannot be handled at all) it
 * is acknowledged and appended to the dead-letter stream by one script ({@code dead-letter.lua}).
 */
final class FailedEntries {

	private static final Log logger = LogFactory.getLog(StreamListenerContainer.class);

	private static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final ListenerSettings settings;

	private final String streamKey;

	private final String deadLetterKey;

	private final StreamMetrics metrics;

	private final RetrySchedule retries;

	private final String description;

	/** Handler failures and dead letters are logged, but an outage or a poison stream writes few lines. */
	private final RateLimitedLogger failureLog = new RateLimitedLogger(logger, LOG_INTERVAL);

	private final RateLimitedLogger deadLetterLog = new RateLimitedLogger(logger, LOG_INTERVAL);

	FailedEntries(StringRedisTemplate redis, ListenerSettings settings, String streamKey, String deadLetterKey,
			StreamMetrics metrics, RetrySchedule retries, String description) {
		this.redis = redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.settings = settings;
		this.streamKey = streamKey;
		this.deadLetterKey = deadLetterKey;
		this.metrics = metrics;
		this.retries = retries;
		this.description = description;
	}

	/** The handler threw: retry after the back-off, or dead-letter after the last delivery. */
	void handlerFailed(StreamEntry entry, Throwable ex) {
		this.metrics.message(this.settings.stream(), this.settings.group(), StreamMetrics.FAILED);
		if (entry.attempt() >= this.settings.maxDeliveries()) {
			deadLetter(entry, entry.attempt(), ex.getClass().getName() + ": " + ex.getMessage(), ex);
			return;
		}
		Duration backoff = this.settings.retryBackoff(entry.attempt());
		this.failureLog.warn("Stream listener " + this.description + " failed on entry " + entry.id() + " (attempt "
				+ entry.attempt() + " of " + this.settings.maxDeliveries() + "); retrying in " + backoff.toMillis()
				+ "ms", ex);
		this.retries.schedule(entry.id(), System.currentTimeMillis() + backoff.toMillis());
	}

	/** Acknowledges the entry and appends it to the dead-letter stream, atomically. */
	void deadLetter(StreamEntry entry, int attempts, String error, @Nullable Throwable cause) {
		this.deadLetterLog.warn("Stream listener " + this.description + " dead-letters entry " + entry.id()
				+ " after attempt " + attempts + " to " + this.deadLetterKey + ": " + error, cause);
		List<String> args = new ArrayList<>();
		args.add(this.settings.group());
		args.add(entry.id());
		args.add(Long.toString(this.settings.deadLetterMaxLength()));
		entry.fields().forEach((name, value) -> {
			if (!name.startsWith(StreamHeaders.DEAD_LETTER_PREFIX)) {
				args.add(name);
				args.add(value);
			}
		});
		args.add(DefaultStreamDeadLetters.ORIGINAL_ID);
		args.add(entry.id());
		args.add(DefaultStreamDeadLetters.GROUP);
		args.add(this.settings.group());
		args.add(DefaultStreamDeadLetters.ERROR);
		args.add(error.length() > 2000 ? error.substring(0, 2000) : error);
		args.add(DefaultStreamDeadLetters.ATTEMPTS);
		args.add(Integer.toString(attempts));
		args.add(DefaultStreamDeadLetters.CONSUMER);
		args.add(this.settings.consumer());
		args.add(DefaultStreamDeadLetters.AT);
		args.add(Instant.now().toString());
		try {
			Long moved = this.scripts.run(StreamScripts.DEAD_LETTER, List.of(this.streamKey, this.deadLetterKey),
					args.toArray());
			if (moved != null && moved == 1) {
				this.metrics.message(this.settings.stream(), this.settings.group(), StreamMetrics.DEAD_LETTERED);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Stream listener " + this.description + " could not dead-letter entry " + entry.id() + " ("
					+ ex.getMessage() + "); it stays pending and will be delivered again");
		}
	}

}
