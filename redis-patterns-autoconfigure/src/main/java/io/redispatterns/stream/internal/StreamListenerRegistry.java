package io.redispatterns.stream.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.SmartLifecycle;

/**
 * Internal: holds every stream listener container of the application and runs their lifecycle. It starts them
 * after the context is refreshed and stops them (in parallel, each draining its in-flight handlers) in a phase
 * after the web server's graceful shutdown and before the Redis connection factory stops.
 */
public final class StreamListenerRegistry implements SmartLifecycle {

	/** Stops after the web server (DEFAULT_PHASE - 1024), long before the connection factory (phase 0). */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

	private final List<StreamListenerContainer> containers = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	public void register(StreamListenerContainer container) {
		for (StreamListenerContainer existing : this.containers) {
			if (existing.settings().stream().equals(container.settings().stream())
					&& existing.settings().group().equals(container.settings().group())) {
				throw new IllegalStateException("Two @RedisStreamListener methods consume stream '"
						+ container.settings().stream() + "' in group '" + container.settings().group() + "': "
						+ existing.handlerDescription() + " and " + container.handlerDescription()
						+ "; use one method (or different groups)");
			}
		}
		this.containers.add(container);
		if (this.running) {
			container.start();
		}
	}

	public List<StreamListenerContainer> containers() {
		return List.copyOf(this.containers);
	}

	@Override
	public void start() {
		this.running = true;
		this.containers.forEach(StreamListenerContainer::start);
	}

	@Override
	public void stop() {
		this.running = false;
		List<Thread> stopping = new java.util.ArrayList<>();
		for (StreamListenerContainer container : this.containers) {
			Thread thread = new Thread(container::stop, "stream-stop-" + container.settings().stream());
			thread.setDaemon(true);
			thread.start();
			stopping.add(thread);
		}
		for (Thread thread : stopping) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
