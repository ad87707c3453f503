package io.redispatterns.stream.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.redispatterns.core.ContainerLifecycle;
import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.stream.NoSuchStreamListenerException;
import io.redispatterns.stream.StreamListenerHandle;
import io.redispatterns.stream.StreamListeners;

import org.springframework.context.SmartLifecycle;

/**
 * Internal: holds every stream listener container of the application, finds them by id for
 * {@link StreamListeners}, and runs their lifecycle. It starts those that start automatically after the context
 * is refreshed and stops them all (in parallel, each draining its in-flight handlers) in a phase
 * after the web server's graceful shutdown and before the Redis connection factory stops.
 */
public final class StreamListenerRegistry implements SmartLifecycle, StreamListeners {

	private final List<ManagedStreamListener> listeners = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	/** Registers a container that starts automatically, with the default id {@code <stream>-<group>}. */
	public void register(StreamListenerContainer container) {
		register(defaultId(container.settings()), true, container);
	}

	/** The id of a listener whose annotation sets none. */
	public static String defaultId(ListenerSettings settings) {
		return settings.stream() + "-" + settings.group();
	}

	/**
	 * Registers a container; starts it at once when the registry runs already and it starts automatically.
	 * @throws IllegalStateException when another container consumes the same stream in the same group
	 * @throws InvalidRedisPatternsPropertyException when another container has the same id
	 */
	public synchronized void register(String id, boolean autoStartup, StreamListenerContainer container) {
		for (ManagedStreamListener listener : this.listeners) {
			StreamListenerContainer existing = listener.container();
			if (existing.settings().stream().equals(container.settings().stream())
					&& existing.settings().group().equals(container.settings().group())) {
				throw new IllegalStateException("Two @RedisStreamListener methods consume stream '"
						+ container.settings().stream() + "' in group '" + container.settings().group() + "': "
						+ existing.handlerDescription() + " and " + container.handlerDescription()
						+ "; use one method (or different groups)");
			}
			if (listener.id().equals(id)) {
				throw new InvalidRedisPatternsPropertyException(
						"@RedisStreamListener on " + container.handlerDescription() + " (id)", id,
						"an id that no other stream listener has (" + existing.handlerDescription() + " has it)");
			}
		}
		ManagedStreamListener listener = new ManagedStreamListener(id, autoStartup, container);
		this.listeners.add(listener);
		if (this.running && autoStartup) {
			listener.start();
		}
	}

	public List<StreamListenerContainer> containers() {
		return this.listeners.stream().map(ManagedStreamListener::container).toList();
	}

	/** Every listener with its lifecycle state, in registration order. */
	public List<ManagedStreamListener> managed() {
		return List.copyOf(this.listeners);
	}

	@Override
	public StreamListenerHandle get(String id) {
		for (ManagedStreamListener listener : this.listeners) {
			if (listener.id().equals(id)) {
				return listener;
			}
		}
		throw new NoSuchStreamListenerException(id, ids());
	}

	@Override
	public Set<String> ids() {
		Set<String> ids = new LinkedHashSet<>();
		this.listeners.forEach((listener) -> ids.add(listener.id()));
		return java.util.Collections.unmodifiableSet(ids);
	}

	@Override
	public List<StreamListenerHandle> list() {
		return List.copyOf(this.listeners);
	}

	@Override
	public void start() {
		this.running = true;
		for (ManagedStreamListener listener : this.listeners) {
			if (listener.isAutoStartup()) {
				listener.start();
			}
		}
	}

	@Override
	public void stop() {
		this.running = false;
		ContainerLifecycle.stopAll(containers(), (container) -> "stream-stop-" + container.settings().stream(),
				StreamListenerContainer::stop);
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
