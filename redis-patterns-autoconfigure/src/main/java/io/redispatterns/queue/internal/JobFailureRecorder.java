package io.redispatterns.queue.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.queue.Backoff;
import io.redispatterns.queue.JobDeadEvent;
import io.redispatterns.queue.JobFailedEvent;
import io.redispatterns.queue.JobId;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import static io.redispatterns.queue.internal.JobWorkerContainer.min;
import static io.redispatterns.queue.internal.JobWorkerContainer.sleep;

/**
 * Internal: the ways a job of one {@link JobWorkerContainer} ends other than completion ({@link JobRunner}): a
 * failed attempt retried after its back-off or dead-lettered, a flow child's report to its parent, a job given back
 * on shutdown; and the retry through short Redis faults that every finishing script gets. Each script proves the
 * lease by its active-set member ({@code lease.lua}), so a late or re-sent call changes nothing.
 */
final class JobFailureRecorder {

	private static final Log logger = LogFactory.getLog(JobWorkerContainer.class);

	private final JobWorkerContainer container;

	private final String queue;

	private final QueueSettings settings;

	private final LuaScriptRunner scripts;

	private final QueueKeys keys;

	private final QueueMetrics metrics;

	JobFailureRecorder(JobWorkerContainer container) {
		this.container = container;
		this.queue = container.queue;
		this.settings = container.settings;
		this.scripts = new LuaScriptRunner(container.redis::getRequiredConnectionFactory);
		this.keys = container.keys;
		this.metrics = container.metrics;
	}

	Backoff backoff(TakenJob job) {
		if (!job.backoff().isEmpty()) {
			try {
				return Backoff.decode(job.backoff());
			}
			catch (RuntimeException ex) {
				logger.debug("Job " + job.id() + " has an unreadable back-off; using the default", ex);
			}
		}
		return this.settings.backoff();
	}

	void retry(DefaultJobContext context, String error, Duration delay, long nanos) {
		TakenJob job = context.job();
		Long outcome = fail(context, error, delay.toMillis());
		if (outcome != null && outcome == 2) {
			this.metrics.job(this.queue, QueueMetrics.RETRIED);
			this.container.runner.publish(new JobFailedEvent(this.queue, JobId.of(job.id()), job.name(), job.attempt(), Duration.ofNanos(nanos),
					error, delay));
		}
	}

	void dead(DefaultJobContext context, String error, long nanos) {
		TakenJob job = context.job();
		logger.warn("Job queue '" + this.queue + "': job " + job.id() + " (" + job.name() + ") is dead-lettered after "
				+ job.attempt() + " attempt(s): " + error);
		if (!reportToParent(job, "f", error)) {
			return;
		}
		Long outcome = fail(context, error, -1);
		if (outcome != null && outcome == 3) {
			this.metrics.job(this.queue, QueueMetrics.DEAD);
			this.container.runner.publish(new JobDeadEvent(this.queue, JobId.of(job.id()), job.name(), job.attempt(), Duration.ofNanos(nanos),
					error));
		}
	}

	/**
	 * Reports a flow child's completion or death to its parent, on the parent's queue, before the child's own
	 * state changes: a crash in between leaves the child leased, so it runs again after its lease and reports
	 * again, which the parent ignores (the report is keyed by the child's id). Reporting after the child's state
	 * change could lose the report instead.
	 * @return whether the child may go on to finish (no parent, or the report was applied)
	 */
	boolean reportToParent(TakenJob job, String outcome, String detail) {
		return reportToParent(job.id(), job.parent(), outcome, detail);
	}

	boolean reportToParent(String childId, String parentReference, String outcome, String detail) {
		FlowParent parent;
		try {
			parent = FlowParent.decode(parentReference);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Job queue '" + this.queue + "': job " + childId + " has an unreadable parent reference", ex);
			return true;
		}
		if (parent == null) {
			return true;
		}
		Long reported = this.<Long>finish("report a child job to its parent",
				() -> this.scripts.run(QueueScripts.CHILD_DONE,
						List.of(this.keys.job(parent.queue(), parent.id()), this.keys.waiting(parent.queue()),
								this.keys.marker(parent.queue()), this.keys.meta(parent.queue()),
								this.keys.dead(parent.queue())),
						this.keys.base(parent.queue()), parent.id(), childId, outcome, detail,
						parent.failParent() ? "1" : "0", Long.toString(this.settings.keepDead()),
						Long.toString(this.settings.keepDeadFor().toMillis()),
						Long.toString(this.settings.eventsMaxLength()),
						Long.toString(this.settings.dedupeWindow().toMillis())));
		return reported != null;
	}

	@Nullable Long fail(DefaultJobContext context, String error, long delayMillis) {
		String id = context.job().id();
		String trimmed = (error.length() > 1000) ? error.substring(0, 1000) : error;
		return finish("fail", () -> this.scripts.run(QueueScripts.FAIL,
				List.of(this.keys.job(this.queue, id), this.keys.active(this.queue), this.keys.delayed(this.queue),
						this.keys.dead(this.queue), this.keys.marker(this.queue)),
				this.keys.base(this.queue), id, context.lease(), trimmed.replace('\n', ' '), Long.toString(delayMillis),
				Long.toString(this.settings.keepDead()), Long.toString(this.settings.keepDeadFor().toMillis()),
				Long.toString(this.settings.eventsMaxLength()), Long.toString(this.settings.dedupeWindow().toMillis())));
	}

	/**
	 * Runs a finishing script, retrying through short Redis faults for up to one lease (the scripts check the
	 * token, so a retry of an applied call is a no-op). After that the job stays leased until its lease
	 * expires and an instance recovers it.
	 */
	<T> @Nullable T finish(String what, Supplier<@Nullable T> script) {
		long deadline = System.currentTimeMillis() + this.settings.lease().toMillis();
		Duration backoff = this.settings.reconnectInitial();
		while (true) {
			try {
				return script.get();
			}
			catch (RuntimeException ex) {
				if (this.container.aborted || System.currentTimeMillis() + backoff.toMillis() > deadline) {
					logger.warn("Job queue '" + this.queue + "' could not " + what + " a job (" + ex.getMessage()
							+ "); it is recovered after its lease expires");
					return null;
				}
				sleep(backoff);
				backoff = min(backoff.multipliedBy(2), this.settings.reconnectMax());
			}
		}
	}

	void release(DefaultJobContext context) {
		String id = context.job().id();
		try {
			this.scripts.run(QueueScripts.RELEASE,
					List.of(this.keys.job(this.queue, id), this.keys.active(this.queue), this.keys.waiting(this.queue),
							this.keys.marker(this.queue), this.keys.meta(this.queue)),
					id, context.lease());
		}
		catch (RuntimeException ex) {
			logger.debug("Job queue '" + this.queue + "' could not give back job " + id
					+ "; it is recovered after its lease expires", ex);
		}
	}

	void releaseInFlight() {
		for (DefaultJobContext context : new ArrayList<>(this.container.inFlight.values())) {
			release(context);
		}
	}

}
