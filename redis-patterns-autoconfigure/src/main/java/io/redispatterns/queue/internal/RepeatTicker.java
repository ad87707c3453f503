package io.redispatterns.queue.internal;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.queue.internal.JobWorkerContainer.State;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Internal: enqueues the ticks of the repeatable jobs ({@code cron}/{@code every}) of one {@link JobWorkerContainer}
 * while it runs; every instance does, and the repeat script writes each tick's job once.
 */
final class RepeatTicker {

	private static final Log logger = LogFactory.getLog(JobWorkerContainer.class);

	private final JobWorkerContainer container;

	private final LuaScriptRunner scripts;

	RepeatTicker(JobWorkerContainer container) {
		this.container = container;
		this.scripts = new LuaScriptRunner(container.redis::getRequiredConnectionFactory);
	}

	/**
	 * Schedules the next tick of a repeatable job; each tick schedules the one after it, counted from the tick
	 * (not from the moment it ran), so a late timer on a busy machine catches up instead of leaving ticks out.
	 */
	void schedule(String name, RepeatSchedule schedule) {
		scheduleTick(name, schedule, schedule.nextAfter(java.time.Instant.now()));
	}

	private void scheduleTick(String name, RepeatSchedule schedule, java.time.@Nullable Instant tick) {
		if (tick == null || this.container.state != State.RUNNING) {
			return;
		}
		long delay = Math.max(0, tick.toEpochMilli() - System.currentTimeMillis());
		try {
			ScheduledFuture<?> task = this.container.scheduler.schedule(() -> {
				enqueueTick(name, tick.toEpochMilli());
				scheduleTick(name, schedule, schedule.nextAfter(tick));
			}, delay, TimeUnit.MILLISECONDS);
			synchronized (this.container.tasks) {
				this.container.tasks.removeIf(ScheduledFuture::isDone);
				this.container.tasks.add(task);
			}
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// shutting down
		}
	}

	private void enqueueTick(String name, long tick) {
		if (this.container.state != State.RUNNING) {
			return;
		}
		String queue = this.container.queue;
		QueueKeys keys = this.container.keys;
		try {
			this.scripts.run(QueueScripts.REPEAT, List.of(keys.waiting(queue), keys.marker(queue), keys.meta(queue)),
					keys.base(queue), name, Long.toString(tick), "null");
		}
		catch (RuntimeException ex) {
			logger.warn("Job queue '" + queue + "' could not enqueue the repeatable job '" + name + "' of "
					+ java.time.Instant.ofEpochMilli(tick) + " (" + ex.getMessage() + "); another instance may have");
		}
	}

}
