package io.redispatterns.writebehind.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import io.redispatterns.core.ContainerLifecycle;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Internal: collects the {@code @WriteBehindFlush} methods, starts one flusher per buffer when the context
 * has started, and stops them (each finishing its running flush) after the web server's graceful shutdown
 * and before the Redis connection factory stops.
 */
public final class WriteBehindFlushers implements SmartLifecycle {

	private final Map<String, FlushBinding> bindings = new LinkedHashMap<>();

	private final List<BufferFlusher> flushers = new CopyOnWriteArrayList<>();

	private final RedisWriteBehinds buffers;

	private @Nullable ScheduledThreadPoolExecutor scheduler;

	private volatile boolean running;

	public WriteBehindFlushers(RedisWriteBehinds buffers) {
		this.buffers = buffers;
	}

	public synchronized void register(FlushBinding binding) {
		FlushBinding existing = this.bindings.get(binding.buffer());
		if (existing != null) {
			throw new IllegalStateException("Two @WriteBehindFlush methods flush buffer '" + binding.buffer() + "': "
					+ existing.method().description() + " and " + binding.method().description()
					+ "; a buffer has one flush method");
		}
		if (this.running) {
			throw new IllegalStateException("@WriteBehindFlush " + binding.method().description()
					+ " was registered after the flushers started");
		}
		this.bindings.put(binding.buffer(), binding);
	}

	public List<BufferFlusher> flushers() {
		return List.copyOf(this.flushers);
	}

	@Override
	public synchronized void start() {
		if (this.flushers.isEmpty() && !this.bindings.isEmpty()) {
			// a thread per buffer, plus one for lease renewals: a slow flush method never delays another buffer
			AtomicInteger threads = new AtomicInteger();
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(this.bindings.size() + 1,
					(runnable) -> {
						Thread thread = new Thread(runnable, "write-behind-" + threads.incrementAndGet());
						thread.setDaemon(true);
						return thread;
					});
			executor.setRemoveOnCancelPolicy(true);
			this.scheduler = executor;
			this.bindings.values().forEach((binding) -> this.flushers.add(new BufferFlusher(binding, this.buffers,
					executor)));
		}
		this.running = true;
		this.flushers.forEach(BufferFlusher::start);
	}

	@Override
	public void stop() {
		this.running = false;
		ContainerLifecycle.stopAll(this.flushers, (flusher) -> "write-behind-stop-" + flusher.buffer(),
				BufferFlusher::stop);
	}

	/** Shuts the scheduler down with the context. */
	public void destroy() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ContainerLifecycle.PHASE;
	}

}
