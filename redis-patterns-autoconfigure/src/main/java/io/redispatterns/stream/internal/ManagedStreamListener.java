package io.redispatterns.stream.internal;

import io.redispatterns.stream.StreamListenerHandle;

/**
 * Internal: the {@link StreamListenerHandle} of one container; remembers whether the container is stopped
 * because the application asked for it (stopped through the handle, or not started automatically), so that
 * health does not report it as failed.
 */
public final class ManagedStreamListener implements StreamListenerHandle {

	private final String id;

	private final boolean autoStartup;

	private final StreamListenerContainer container;

	private volatile boolean stoppedByUser;

	ManagedStreamListener(String id, boolean autoStartup, StreamListenerContainer container) {
		this.id = id;
		this.autoStartup = autoStartup;
		this.container = container;
		this.stoppedByUser = !autoStartup;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String stream() {
		return this.container.settings().stream();
	}

	@Override
	public String group() {
		return this.container.settings().group();
	}

	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	public StreamListenerContainer container() {
		return this.container;
	}

	/** Whether the container is not running because the application stopped it or did not start it. */
	public boolean isStoppedByUser() {
		return this.stoppedByUser && !this.container.isRunning();
	}

	// start and stop are serialized so that a start during a graceful stop waits for it instead of racing it
	@Override
	public synchronized void start() {
		this.stoppedByUser = false;
		this.container.start();
	}

	@Override
	public synchronized void stop() {
		this.stoppedByUser = true;
		this.container.stop();
	}

	@Override
	public void pause() {
		this.container.pause();
	}

	@Override
	public void resume() {
		this.container.resume();
	}

	@Override
	public boolean isRunning() {
		return this.container.isRunning();
	}

	@Override
	public boolean isPauseRequested() {
		return this.container.isPauseRequested();
	}

	@Override
	public boolean isPaused() {
		return this.container.isPaused();
	}

	/**
	 * The state shown in health and the endpoint: the container's, with {@code PAUSED} for a running container
	 * asked to pause and {@code STOPPED} for one the application has not started.
	 */
	public String displayState() {
		StreamListenerContainer.State state = this.container.state();
		if (state == StreamListenerContainer.State.RUNNING && this.container.isPauseRequested()) {
			return "PAUSED";
		}
		if (state == StreamListenerContainer.State.NEW && isStoppedByUser()) {
			return StreamListenerContainer.State.STOPPED.name();
		}
		return state.name();
	}

	@Override
	public String toString() {
		return "stream listener '" + this.id + "' (" + this.container.handlerDescription() + ")";
	}

}
