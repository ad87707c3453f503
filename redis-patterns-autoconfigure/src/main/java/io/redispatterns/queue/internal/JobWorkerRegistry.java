package io.redispatterns.queue.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.redispatterns.core.ContainerLifecycle;

import org.springframework.context.SmartLifecycle;

/**
 * Internal: collects the {@code @RedisJobHandler} methods of the application, creates one worker container
 * per queue when the context has started, and stops them (in parallel, each finishing its running jobs) in a
 * phase after the web server's graceful shutdown and before the Redis connection factory stops.
 */
public final class JobWorkerRegistry implements SmartLifecycle {

	private final Map<String, List<JobHandlerBinding>> bindings = new LinkedHashMap<>();

	private final List<JobWorkerContainer> containers = new CopyOnWriteArrayList<>();

	private final ContainerFactory factory;

	private final ScheduledExecutorService scheduler;

	private volatile boolean running;

	/**
	 * @param factory creates the container of a queue from its handlers and the shared scheduler
	 */
	public JobWorkerRegistry(ContainerFactory factory) {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, (runnable) -> {
			Thread thread = Executors.defaultThreadFactory().newThread(runnable);
			thread.setName("queue-scheduler-" + thread.getName());
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		this.scheduler = scheduler;
		this.factory = factory;
	}

	public synchronized void register(String queue, JobHandlerBinding binding) {
		List<JobHandlerBinding> forQueue = this.bindings.computeIfAbsent(queue, (q) -> new ArrayList<>());
		for (JobHandlerBinding existing : forQueue) {
			if (existing.name().equals(binding.name())) {
				throw new IllegalStateException("Two @RedisJobHandler methods run jobs named '" + binding.name()
						+ "' of queue '" + queue + "': " + existing.handler().description() + " and "
						+ binding.handler().description() + "; give them different names");
			}
		}
		if (this.running) {
			throw new IllegalStateException("@RedisJobHandler " + binding.handler().description()
					+ " was registered after the job workers started");
		}
		forQueue.add(binding);
	}

	public List<JobWorkerContainer> containers() {
		return List.copyOf(this.containers);
	}

	public synchronized Map<String, List<JobHandlerBinding>> bindings() {
		return Map.copyOf(this.bindings);
	}

	@Override
	public synchronized void start() {
		if (this.containers.isEmpty()) {
			this.bindings.forEach((queue, handlers) -> this.containers
				.add(this.factory.create(queue, handlers, this.scheduler)));
		}
		this.running = true;
		this.containers.forEach(JobWorkerContainer::start);
	}

	@Override
	public void stop() {
		this.running = false;
		ContainerLifecycle.stopAll(this.containers, (container) -> "queue-stop-" + container.queue(),
				JobWorkerContainer::stop);
	}

	/** Shuts the shared scheduler down with the context. */
	public void destroy() {
		this.scheduler.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ContainerLifecycle.PHASE;
	}

	/** Creates the worker container of one queue. */
	@FunctionalInterface
	public interface ContainerFactory {

		JobWorkerContainer create(String queue, List<JobHandlerBinding> handlers, ScheduledExecutorService scheduler);

	}

}
