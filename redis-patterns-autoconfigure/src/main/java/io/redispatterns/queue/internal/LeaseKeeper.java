package io.redispatterns.queue.internal;

import java.util.ArrayList;
import java.util.List;

import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.queue.internal.JobWorkerContainer.State;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.core.StringRedisTemplate;

import static io.redispatterns.queue.internal.JobWorkerContainer.text;

/**
 * Internal: the lease upkeep of one {@link JobWorkerContainer}: renews the leases of the jobs its workers run, and
 * (any live instance does) moves jobs whose lease expired back to waiting or to dead letters, with the periodic
 * retention maintenance of completed jobs.
 */
final class LeaseKeeper {

	private static final Log logger = LogFactory.getLog(JobWorkerContainer.class);

	private static final int RECOVERY_BATCH = 500;

	private final JobWorkerContainer container;

	private final String queue;

	private final QueueSettings settings;

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final QueueKeys keys;

	private final QueueMetrics metrics;

	private final int defaultMaxAttempts;

	LeaseKeeper(JobWorkerContainer container) {
		this.container = container;
		this.queue = container.queue;
		this.settings = container.settings;
		this.redis = container.redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.keys = container.keys;
		this.metrics = container.metrics;
		this.defaultMaxAttempts = container.defaultMaxAttempts;
	}

	void renewLeases() {
		List<DefaultJobContext> running = new ArrayList<>(this.container.inFlight.values());
		if (running.isEmpty() || this.container.aborted) {
			return;
		}
		List<String> args = new ArrayList<>(running.size() * 2 + 2);
		args.add(this.keys.base(this.queue));
		args.add(Long.toString(this.settings.lease().toMillis()));
		for (DefaultJobContext context : running) {
			args.add(context.job().id());
			args.add(context.lease());
		}
		try {
			long deadline = System.currentTimeMillis() + this.settings.lease().toMillis();
			List<?> lost = this.scripts.run(QueueScripts.RENEW, List.of(this.keys.active(this.queue)),
					args.toArray());
			java.util.Set<String> lostIds = new java.util.HashSet<>();
			if (lost != null) {
				lost.forEach((id) -> lostIds.add(text(id)));
			}
			for (DefaultJobContext context : running) {
				if (lostIds.contains(context.job().id())) {
					context.lost();
				}
				else {
					context.renewed(deadline);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Job queue '" + this.queue + "' could not renew leases", ex);
		}
	}

	void recoverStalled() {
		if (this.container.state != State.RUNNING) {
			return;
		}
		try {
			while (true) {
				List<?> reply = this.scripts.run(QueueScripts.RECOVER_STALLED,
						List.of(this.keys.active(this.queue), this.keys.waiting(this.queue), this.keys.dead(this.queue),
								this.keys.marker(this.queue), this.keys.meta(this.queue), this.keys.completed(this.queue)),
						this.keys.base(this.queue),
						Integer.toString((this.defaultMaxAttempts > 0) ? this.defaultMaxAttempts : this.settings.maxAttempts()),
						Integer.toString(RECOVERY_BATCH), Long.toString(this.settings.keepDead()),
						Long.toString(this.settings.keepDeadFor().toMillis()), Long.toString(this.settings.eventsMaxLength()),
						Long.toString(this.settings.dedupeWindow().toMillis()),
						Long.toString(this.settings.keepCompletedFor().toMillis()),
						Long.toString(this.settings.keepCompleted()));
				if (reply == null || reply.size() < 2) {
					return;
				}
				long requeued = RedisJobQueues.number(reply.get(0));
				long dead = RedisJobQueues.number(reply.get(1));
				for (int i = 2; i + 1 < reply.size(); i += 2) {
					// a flow child dead here never runs again: its parent hears of it now
					this.container.failures.reportToParent(String.valueOf(reply.get(i)), String.valueOf(reply.get(i + 1)), "f",
							"lease expired on the last attempt: the worker stopped or stalled");
				}
				for (long i = 0; i < requeued + dead; i++) {
					this.metrics.job(this.queue, QueueMetrics.STALLED);
				}
				for (long i = 0; i < dead; i++) {
					this.metrics.job(this.queue, QueueMetrics.DEAD);
				}
				if (requeued + dead > 0) {
					logger.info("Job queue '" + this.queue + "': recovered " + (requeued + dead)
							+ " stalled job(s) whose lease expired (" + dead + " dead-lettered)");
				}
				if (requeued + dead < RECOVERY_BATCH) {
					return;
				}
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Job queue '" + this.queue + "' could not check for stalled jobs", ex);
		}
	}

}
