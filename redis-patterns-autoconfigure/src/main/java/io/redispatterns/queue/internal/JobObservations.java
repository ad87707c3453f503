package io.redispatterns.queue.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;

/**
 * Internal: carries the trace context with a job through Micrometer Observation's transport contexts, as
 * messaging integrations do. Enqueueing runs in a {@link SenderContext} observation whose carrier is the job's
 * headers, so a tracing bridge (Micrometer Tracing with Brave or OpenTelemetry) injects W3C {@code traceparent}
 * (and {@code tracestate}, baggage) into them; the handler runs in a {@link ReceiverContext} observation reading
 * the same headers, so the bridge continues that trace. Without a tracing bridge nothing is injected, and a
 * {@code traceparent} header set by the caller still travels in {@link io.redispatterns.queue.JobContext#headers()}.
 */
final class JobObservations {

	static final JobObservations NONE = new JobObservations(ObservationRegistry.NOOP);

	/** Name of the observation around enqueueing. */
	static final String ENQUEUE = "redis.patterns.queue.enqueue";

	/** Name of the observation around running a handler. */
	static final String PROCESS = "redis.patterns.queue.process";

	private final ObservationRegistry registry;

	JobObservations(ObservationRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Runs a write of jobs in an enqueue observation.
	 * @param queue the queue
	 * @param headers the headers given by the caller
	 * @param write the write, given the headers with the injected trace context
	 * @return what the write returns
	 */
	<T> T enqueue(String queue, Map<String, String> headers, Function<Map<String, String>, T> write) {
		if (this.registry.isNoop()) {
			return write.apply(headers);
		}
		SenderContext<Map<String, String>> context = new SenderContext<>(
				(carrier, key, value) -> {
					if (carrier != null) {
						carrier.put(key, value);
					}
				});
		context.setCarrier(new LinkedHashMap<>(headers));
		context.setRemoteServiceName("redis");
		Observation observation = Observation.createNotStarted(ENQUEUE, () -> context, this.registry)
			.contextualName(queue + " send")
			.lowCardinalityKeyValue("queue", queue)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			return write.apply(context.getCarrier());
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	/**
	 * Runs a handler in a process observation continuing the trace in the job's headers.
	 * @param queue the queue
	 * @param name the job's name
	 * @param headers the job's headers
	 * @param handler the handler
	 * @return the handler's result
	 * @throws Throwable what the handler throws
	 */
	<T> T process(String queue, String name, Map<String, String> headers, Observation.CheckedCallable<T, Throwable> handler)
			throws Throwable {
		if (this.registry.isNoop()) {
			return handler.call();
		}
		ReceiverContext<Map<String, String>> context = new ReceiverContext<>((carrier, key) -> carrier.get(key));
		context.setCarrier(headers);
		context.setRemoteServiceName("redis");
		Observation observation = Observation.createNotStarted(PROCESS, () -> context, this.registry)
			.contextualName(queue + " process")
			.lowCardinalityKeyValue("queue", queue)
			.lowCardinalityKeyValue("name", name)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			return handler.call();
		}
		catch (Throwable ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

}
