package io.redispatterns.stream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.PatternHealthDetails;
import io.redispatterns.stream.internal.StreamKeys;
import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.RedisDeployment;
import io.redispatterns.test.RedisTopology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoGroup;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Starting, stopping, pausing and resuming listeners through {@link StreamListeners}, on a real Redis. A second
 * listener (the witness, on its own stream) shows that time has passed for the listener under test: when the
 * witness has handled an entry published after the ones under test, a running listener would have read them.
 */
class StreamListenerLifecycleTests {

	static final RedisDeployment redis = EmbeddedRedis.shared(RedisTopology.STANDALONE);

	static final Duration WAIT = Duration.ofSeconds(20);

	static final List<String> events = new CopyOnWriteArrayList<>();

	static final List<String> witnessed = new CopyOnWriteArrayList<>();

	static volatile CountDownLatch slowStarted = new CountDownLatch(1);

	static volatile CountDownLatch slowRelease = new CountDownLatch(1);

	@BeforeEach
	void clean() {
		redis.flushAll();
		events.clear();
		witnessed.clear();
		slowStarted = new CountDownLatch(1);
		slowRelease = new CountDownLatch(1);
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		Object eventListener() {
			return new Object() {
				@RedisStreamListener(stream = "events", group = "g", id = "${test.events-id:events}",
						autoStartup = "${test.events-auto-startup:true}")
				void on(String event) throws InterruptedException {
					if (event.equals("slow")) {
						slowStarted.countDown();
						slowRelease.await(30, TimeUnit.SECONDS);
					}
					events.add(event);
				}
			};
		}

		@Bean
		Object witnessListener() {
			return new Object() {
				@RedisStreamListener(stream = "witness", group = "g")
				void on(String event) {
					witnessed.add(event);
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SameIdTwice {

		@Bean
		Object first() {
			return new Object() {
				@RedisStreamListener(stream = "a", group = "g", id = "billing")
				void on(String event) {
				}
			};
		}

		@Bean
		Object second() {
			return new Object() {
				@RedisStreamListener(stream = "b", group = "g", id = "billing")
				void on(String event) {
				}
			};
		}

	}

	@Test
	void listenerWithAutoStartupFalseConsumesNothingUntilStartedThenEverythingPublishedMeanwhile() {
		try (ConfigurableApplicationContext context = StreamContexts.start(redis, Listeners.class,
				"test.events-auto-startup=false")) {
			StreamListeners listeners = context.getBean(StreamListeners.class);
			StreamListenerHandle handle = listeners.get("events");
			assertThat(handle.isRunning()).isFalse();
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publisher.publish("events", "e1");
			publisher.publish("events", "e2");
			awaitWitness(publisher, "w1");
			assertThat(events).isEmpty();
			assertThat(groups(context, "events")).as("a listener that never started creates no group").isEmpty();
			Map<String, Object> health = listener(context, "events");
			assertThat(health).containsEntry("state", "STOPPED")
				.containsEntry("stoppedByUser", true)
				.containsEntry("autoStartup", false);
			assertThat(health(context).getStatus()).isEqualTo(Status.UP);

			handle.start();
			assertThat(handle.isRunning()).isTrue();
			await().atMost(WAIT).until(() -> events.size() == 2);
			assertThat(events).containsExactly("e1", "e2");
			assertThat(listener(context, "events")).containsEntry("state", "RUNNING").doesNotContainKey("stoppedByUser");
		}
	}

	@Test
	void pauseFinishesInFlightStopsReadingAndResumeDeliversWhatWasPublishedMeanwhile() throws Exception {
		try (ConfigurableApplicationContext context = StreamContexts.start(redis, Listeners.class)) {
			StreamListenerHandle handle = context.getBean(StreamListeners.class).get("events");
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			String slowId = publisher.publish("events", "slow");
			assertThat(slowStarted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

			handle.pause();
			assertThat(handle.isPauseRequested()).isTrue();
			await().atMost(WAIT).until(handle::isPaused);
			assertThat(listener(context, "events")).containsEntry("state", "PAUSED");
			assertThat(health(context).getStatus()).isEqualTo(Status.UP);

			// the handler in flight when the pause began finishes and is acknowledged
			slowRelease.countDown();
			await().atMost(WAIT).until(() -> events.contains("slow") && group(context, "events").pendingCount() == 0);

			publisher.publish("events", "p1");
			publisher.publish("events", "p2");
			publisher.publish("events", "p3");
			awaitWitness(publisher, "w1");
			assertThat(events).containsExactly("slow");
			XInfoGroup paused = group(context, "events");
			assertThat(paused.lastDeliveredId()).as("nothing read while paused").isEqualTo(slowId);
			assertThat(paused.pendingCount()).isZero();
			assertThat(handle.isRunning()).isTrue();

			handle.resume();
			assertThat(handle.isPauseRequested()).isFalse();
			await().atMost(WAIT).until(() -> events.size() == 4);
			assertThat(events).containsExactly("slow", "p1", "p2", "p3");
			assertThat(handle.isPaused()).isFalse();
			await().atMost(WAIT).until(() -> group(context, "events").pendingCount() == 0);
		}
	}

	@Test
	void stoppedListenerIsReportedAsStoppedByUserAndStartsAgainWithNothingLost() {
		try (ConfigurableApplicationContext context = StreamContexts.start(redis, Listeners.class)) {
			StreamListenerHandle handle = context.getBean(StreamListeners.class).get("events");
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			publisher.publish("events", "before");
			await().atMost(WAIT).until(() -> events.contains("before"));

			handle.stop();
			assertThat(handle.isRunning()).isFalse();
			assertThat(listener(context, "events")).containsEntry("state", "STOPPED").containsEntry("stoppedByUser", true);
			assertThat(health(context).getStatus()).as("stopped by the application is not a failure")
				.isEqualTo(Status.UP);
			publisher.publish("events", "while-stopped");
			awaitWitness(publisher, "w1");
			assertThat(events).containsExactly("before");

			handle.start();
			await().atMost(WAIT).until(() -> events.size() == 2);
			assertThat(events).containsExactly("before", "while-stopped");
			assertThat(listener(context, "events")).containsEntry("state", "RUNNING");
			// a second start is a no-op, a second stop after it stops once
			handle.start();
			handle.stop();
			handle.stop();
			assertThat(handle.isRunning()).isFalse();
		}
	}

	@Test
	void listenersAreFoundByExplicitOrDefaultIdAndAnUnknownIdIsAClearError() {
		try (ConfigurableApplicationContext context = StreamContexts.start(redis, Listeners.class,
				"test.events-id=billing")) {
			StreamListeners listeners = context.getBean(StreamListeners.class);
			assertThat(listeners.ids()).containsExactlyInAnyOrder("billing", "witness-g");
			assertThat(listeners.list()).extracting(StreamListenerHandle::id)
				.containsExactlyInAnyOrder("billing", "witness-g");
			StreamListenerHandle billing = listeners.get("billing");
			assertThat(billing.stream()).isEqualTo("events");
			assertThat(billing.group()).isEqualTo("g");
			assertThat(listeners.get("witness-g").stream()).isEqualTo("witness");
			assertThat(listener(context, "events")).containsEntry("id", "billing");
			assertThatThrownBy(() -> listeners.get("events-g")).isInstanceOf(NoSuchStreamListenerException.class)
				.hasMessageContaining("'events-g'")
				.hasMessageContaining("billing")
				.hasMessageContaining("witness-g")
				.satisfies((ex) -> assertThat(((NoSuchStreamListenerException) ex).getId()).isEqualTo("events-g"));
		}
	}

	@Test
	void twoListenersWithTheSameIdFailStartupNamingTheId() {
		assertThatThrownBy(() -> StreamContexts.start(redis, SameIdTwice.class).close())
			.satisfies((ex) -> assertThat(NestedExceptionUtils.getMostSpecificCause(ex))
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("(id)")
				.hasMessageContaining("'billing'"));
	}

	@Test
	void autoStartupThatIsNotABooleanFailsStartupNamingTheAttribute() {
		assertThatThrownBy(() -> StreamContexts.start(redis, Listeners.class, "test.events-auto-startup=later")
			.close())
			.satisfies((ex) -> assertThat(NestedExceptionUtils.getMostSpecificCause(ex))
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("(autoStartup)")
				.hasMessageContaining("'later'"));
	}

	private static void awaitWitness(StreamPublisher publisher, String entry) {
		publisher.publish("witness", entry);
		await().atMost(WAIT).until(() -> witnessed.contains(entry));
	}

	private static Health health(ConfigurableApplicationContext context) {
		return context.getBean(PatternHealthDetails.class).health();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> listener(ConfigurableApplicationContext context, String stream) {
		List<Map<String, Object>> listeners = (List<Map<String, Object>>) health(context).getDetails()
			.get("listeners");
		return listeners.stream().filter((l) -> stream.equals(l.get("stream"))).findFirst().orElseThrow();
	}

	private static List<XInfoGroup> groups(ConfigurableApplicationContext context, String stream) {
		StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
		return template.opsForStream().groups(context.getBean(StreamKeys.class).stream(stream)).stream().toList();
	}

	private static XInfoGroup group(ConfigurableApplicationContext context, String stream) {
		return groups(context, stream).get(0);
	}

}
