package io.redispatterns.stream;

import java.util.List;
import java.util.Set;

/**
 * The application's {@link RedisStreamListener @RedisStreamListener} containers, looked up by id so that they
 * can be started, stopped, paused and resumed at run time (the role Spring Kafka's
 * {@code KafkaListenerEndpointRegistry} plays for Kafka listeners).
 * <pre class="code">
 * streamListeners.get("orders-billing").pause();
 * </pre>
 * The containers themselves start with the application context (unless
 * {@link RedisStreamListener#autoStartup() autoStartup} is {@code false}) and stop gracefully with it.
 */
public interface StreamListeners {

	/**
	 * Returns the listener with the given id.
	 * @param id the {@link RedisStreamListener#id() id} of the listener, by default {@code <stream>-<group>}
	 * @return the listener
	 * @throws NoSuchStreamListenerException when no listener has this id
	 */
	StreamListenerHandle get(String id);

	/**
	 * Returns the ids of every listener.
	 * @return the ids, in registration order
	 */
	Set<String> ids();

	/**
	 * Returns every listener.
	 * @return the listeners, in registration order
	 */
	List<StreamListenerHandle> list();

}
