package io.redispatterns.queue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The W3C trace context travels with a job from enqueue to handler: a tracing bridge's propagating handlers
 * (here a stand-in with the same contract: inject into a {@link SenderContext}'s carrier, extract from a
 * {@link ReceiverContext}'s) see the job's headers, and the handler runs inside the receiving observation;
 * without an observation registry, a {@code traceparent} header set by the caller reaches the handler.
 */
class JobQueueTraceContextTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

	/** Job id to what the handler saw: its traceparent header and the current observation's name. */
	static final Map<String, String> seenHeader = new ConcurrentHashMap<>();

	static final Map<String, String> seenObservation = new ConcurrentHashMap<>();

	/** Job id to the traceparent the receiving observation extracted. */
	static final Map<String, String> extracted = new ConcurrentHashMap<>();

	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Object tracedHandler(org.springframework.beans.factory.ObjectProvider<ObservationRegistry> registry) {
			return new Object() {
				@RedisJobHandler(queue = "traced")
				void run(String payload, JobContext context) {
					seenHeader.put(context.id().value(), String.valueOf(context.headers().get("traceparent")));
					ObservationRegistry observations = registry.getIfAvailable(() -> ObservationRegistry.NOOP);
					Observation current = observations.getCurrentObservation();
					seenObservation.put(context.id().value(),
							(current != null) ? current.getContext().getName() : "none");
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Propagation {

		@Bean
		ObservationRegistry observationRegistry() {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new InjectingHandler());
			registry.observationConfig().observationHandler(new ExtractingHandler());
			return registry;
		}

	}

	/** As a tracing bridge's sender handler: writes the current span's context into the outgoing carrier. */
	static class InjectingHandler implements ObservationHandler<SenderContext<Object>> {

		@Override
		public void onStart(SenderContext<Object> context) {
			context.getSetter().set(context.getCarrier(), "traceparent", TRACEPARENT);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof SenderContext;
		}

	}

	/** As a tracing bridge's receiver handler: reads the trace context from the incoming carrier. */
	static class ExtractingHandler implements ObservationHandler<ReceiverContext<Object>> {

		@Override
		public void onStart(ReceiverContext<Object> context) {
			String traceparent = context.getGetter().get(context.getCarrier(), "traceparent");
			extracted.put(String.valueOf(context.getLowCardinalityKeyValue("queue").getValue()),
					String.valueOf(traceparent));
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof ReceiverContext;
		}

	}

	@BeforeEach
	void reset() {
		redis.flushAll();
		seenHeader.clear();
		seenObservation.clear();
		extracted.clear();
	}

	@Test
	void traceContextInjectedAtEnqueueIsExtractedAroundTheHandler() {
		try (ConfigurableApplicationContext context = QueueContexts.start(redis, Handlers.class,
				"spring.main.sources=" + Propagation.class.getName())) {
			JobQueues jobs = context.getBean(JobQueues.class);
			JobId id = jobs.enqueue("traced", "hello");
			assertThat(jobs.awaitResult("traced", id, Duration.ofSeconds(30)).state()).isEqualTo(JobState.COMPLETED);
			assertThat(seenHeader).containsEntry(id.value(), TRACEPARENT);
			assertThat(seenObservation).containsEntry(id.value(), "redis.patterns.queue.process");
			assertThat(extracted).containsEntry("traced", TRACEPARENT);
		}
	}

	@Test
	void traceparentSetByTheCallerReachesTheHandlerWithoutObservation() {
		try (ConfigurableApplicationContext context = QueueContexts.start(redis, Handlers.class)) {
			JobQueues jobs = context.getBean(JobQueues.class);
			assertThat(context.getBeanProvider(ObservationRegistry.class).getIfAvailable()).isNull();
			JobId id = jobs.enqueue("traced", (Object) "hello", JobOptions.defaults().header("traceparent", TRACEPARENT));
			assertThat(jobs.awaitResult("traced", id, Duration.ofSeconds(30)).state()).isEqualTo(JobState.COMPLETED);
			assertThat(seenHeader).containsEntry(id.value(), TRACEPARENT);
			assertThat(seenObservation).containsEntry(id.value(), "none");
		}
	}

}
