package io.redispatterns.queue.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.support.CronExpression;

/**
 * Internal: when a repeatable job ticks. Every instance computes the same tick instants (cron in UTC, or
 * intervals aligned to the epoch), so the tick identifies the job.
 * @param cron the cron expression, or {@code null}
 * @param every the interval, or {@code null}
 */
public record RepeatSchedule(@Nullable CronExpression cron, @Nullable Duration every) {

	/**
	 * Returns the first tick strictly after {@code after}.
	 * @param after an instant
	 * @return the next tick, or {@code null} when the cron expression never fires again
	 */
	@Nullable Instant nextAfter(Instant after) {
		if (this.every != null) {
			long period = this.every.toMillis();
			return Instant.ofEpochMilli((after.toEpochMilli() / period + 1) * period);
		}
		if (this.cron != null) {
			ZonedDateTime next = this.cron.next(after.atZone(ZoneOffset.UTC));
			return (next != null) ? next.toInstant() : null;
		}
		return null;
	}

}
