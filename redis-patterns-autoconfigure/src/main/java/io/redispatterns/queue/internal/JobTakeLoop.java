package io.redispatterns.queue.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.redispatterns.core.LuaScriptRunner;
import io.redispatterns.queue.internal.JobWorkerContainer.State;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;

import static io.redispatterns.queue.internal.JobWorkerContainer.min;
import static io.redispatterns.queue.internal.JobWorkerContainer.sleep;

/**
 * Internal: the take loop of one {@link JobWorkerContainer}, on its reader thread with one dedicated connection:
 * wait for a free worker slot, run the take script (promote due delayed jobs and lease up to the free slots' worth
 * of jobs, one round trip), hand the jobs to the workers; when nothing was taken, block on the queue's marker
 * ({@code BZPOPMIN}). A delayed job wakes the loop on a local timer at its due time.
 */
final class JobTakeLoop {

	private static final Log logger = LogFactory.getLog(JobWorkerContainer.class);

	private final JobWorkerContainer container;

	private final String queue;

	private final QueueSettings settings;

	private final String @Nullable [] rateArguments;

	private final StringRedisTemplate redis;

	private final LuaScriptRunner scripts;

	private final QueueKeys keys;

	private final String worker;

	JobTakeLoop(JobWorkerContainer container) {
		this.container = container;
		this.queue = container.queue;
		this.settings = container.settings;
		this.rateArguments = container.rateArguments;
		this.redis = container.redis;
		this.scripts = new LuaScriptRunner(this.redis::getRequiredConnectionFactory);
		this.keys = container.keys;
		this.worker = container.worker;
	}

	void readLoop() {
		Duration backoff = this.settings.reconnectInitial();
		try {
			while (this.container.state == State.RUNNING) {
				int permits = 0;
				int used = 0;
				try {
					permits = acquireSlots();
					if (permits == 0) {
						continue;
					}
					if (this.container.blockingConnection == null) {
						this.container.blockingConnection = this.container.connectionFactory.getConnection();
					}
					Take take = take(permits);
					this.container.connected = true;
					used = this.container.runner.dispatchAll(take.jobs());
					this.container.slots.release(permits - used);
					permits = 0;
					if (take.nextDueMillis() >= 0 && !take.paused() && this.container.state == State.RUNNING) {
						// also after a take that leased jobs: the slots may all be busy when the delayed job is due
						scheduleWake(take.nextDueMillis());
					}
					if (used == 0 && this.container.state == State.RUNNING) {
						awaitMarker();
					}
					backoff = this.settings.reconnectInitial();
				}
				catch (Exception ex) {
					this.container.slots.release(permits - used);
					if (this.container.state != State.RUNNING) {
						break;
					}
					this.container.connected = false;
					this.container.lastError = ex.getClass().getSimpleName() + ": " + ex.getMessage();
					logger.warn("Job queue '" + this.queue + "' could not take jobs (" + this.container.lastError
							+ "); retrying in " + backoff.toMillis() + "ms");
					closeBlockingConnection();
					sleep(backoff);
					backoff = min(backoff.multipliedBy(2), this.settings.reconnectMax());
				}
			}
		}
		catch (Throwable ex) {
			this.container.lastError = ex.toString();
			logger.error("Job queue '" + this.queue + "' worker stopped unexpectedly", ex);
			this.container.state = State.FAILED;
		}
	}

	int acquireSlots() throws InterruptedException {
		if (!this.container.slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
			return 0;
		}
		return 1 + this.container.slots.drainPermits();
	}

	/**
	 * Blocks on the dedicated connection until a marker arrives or the block time passes.
	 * @return whether a marker arrived
	 */
	boolean awaitMarker() {
		RedisConnection connection = this.container.blockingConnection;
		if (connection == null) {
			return false;
		}
		return connection.zSetCommands()
			.bZPopMin(this.keys.marker(this.queue).getBytes(StandardCharsets.UTF_8), this.settings.block().toMillis(),
					TimeUnit.MILLISECONDS) != null;
	}

	/**
	 * The timer of the wake-ups at due times, a thread of its own: on the shared scheduler a wake-up would wait
	 * behind lease renewals and stalled-job recovery of every queue (each a Redis round trip, recovery with
	 * retention work), which made delayed jobs start tens of milliseconds late. Created at the first delayed job;
	 * its thread ends when idle.
	 */
	private @Nullable ScheduledThreadPoolExecutor wakeTimer;

	private synchronized ScheduledThreadPoolExecutor wakeTimer() {
		ScheduledThreadPoolExecutor timer = this.wakeTimer;
		if (timer == null) {
			timer = new ScheduledThreadPoolExecutor(1, (runnable) -> {
				Thread thread = new Thread(runnable, "queue-timer-" + this.queue);
				thread.setDaemon(true);
				return thread;
			});
			timer.setRemoveOnCancelPolicy(true);
			timer.setKeepAliveTime(30, TimeUnit.SECONDS);
			timer.allowCoreThreadTimeOut(true);
			this.wakeTimer = timer;
		}
		return timer;
	}

	/** Cancels pending wake-ups (the container stops). */
	synchronized void stopWakeTimer() {
		ScheduledThreadPoolExecutor timer = this.wakeTimer;
		this.wakeTimer = null;
		if (timer != null) {
			timer.shutdownNow();
		}
	}

	/**
	 * Wakes a blocked worker at a delayed job's due time by setting the marker from a local timer: the server
	 * checks blocking timeouts only on its periodic tick, which would start the job up to 100 ms late. The due
	 * time comes as a duration from the take or complete script (the server's clock), so a clock difference
	 * between this machine and Redis does not move it.
	 */
	void scheduleWake(long dueInMillis) {
		if (dueInMillis > this.settings.block().toMillis() + 1000 || this.container.state != State.RUNNING) {
			return;
		}
		long at = System.currentTimeMillis() + dueInMillis;
		long current = this.container.nextWake.get();
		if (current > System.currentTimeMillis() && current <= at) {
			return;
		}
		if (!this.container.nextWake.compareAndSet(current, at)) {
			return;
		}
		try {
			wakeTimer().schedule(() -> {
				this.container.nextWake.compareAndSet(at, 0);
				if (this.container.state == State.RUNNING) {
					wakeReader();
				}
			}, dueInMillis, TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			this.container.nextWake.compareAndSet(at, 0);
		}
	}

	Take take(int max) {
		String token = this.container.runner.nextToken();
		List<Object> args = new ArrayList<>(10);
		args.add(this.keys.base(this.queue));
		args.add(Integer.toString(max));
		args.add(token);
		args.add(Long.toString(this.settings.lease().toMillis()));
		// a slot take.lua no longer reads (enqueues set the marker whenever nothing was waiting)
		args.add("0");
		if (this.rateArguments != null) {
			args.addAll(List.of(this.rateArguments));
		}
		else {
			// not rate-limited: the script starts on this clock and reads the server's only when it needs it
			args.addAll(List.of("0", "0", "0", "0", Long.toString(System.currentTimeMillis())));
		}
		this.container.lastDelayedCheck = System.nanoTime();
		List<?> reply = this.scripts.run((this.rateArguments != null) ? QueueScripts.TAKE_RATE_LIMITED : QueueScripts.TAKE,
				List.of(this.keys.waiting(this.queue), this.keys.delayed(this.queue), this.keys.active(this.queue),
						this.keys.marker(this.queue), this.keys.meta(this.queue), this.keys.take(this.queue, this.worker)),
				args.toArray());
		if (reply == null || reply.size() < 2) {
			throw new IllegalStateException("Unexpected reply of the take script: " + reply);
		}
		return new Take(this.container.runner.leased(reply, 2), RedisJobQueues.number(reply.get(0)),
				RedisJobQueues.number(reply.get(1)) == 1);
	}

	/** Ends a blocking wait early (it may wake another instance's worker instead, which is harmless). */
	void wakeReader() {
		try {
			this.redis.opsForZSet().add(this.keys.marker(this.queue), "m", 0);
		}
		catch (RuntimeException ex) {
			logger.debug("Job queue '" + this.queue + "' could not wake its worker", ex);
		}
	}

	void closeBlockingConnection() {
		RedisConnection connection = this.container.blockingConnection;
		this.container.blockingConnection = null;
		this.container.connected = false;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				logger.debug("Closing the blocking connection of queue '" + this.queue + "' failed", ex);
			}
		}
	}

	private record Take(List<DefaultJobContext> jobs, long nextDueMillis, boolean paused) {
	}

}
