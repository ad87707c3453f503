package io.redispatterns.stream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.redispatterns.stream.internal.StreamKeys;
import io.redispatterns.test.RedisDeployment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Retries follow their configured back-off, the published type header is checked against the
 * listener's declared type, and failures and dead letters are logged. Run for each topology by a
 * subclass.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class StreamContractTests {

	/**
	 * In the retry tests a read blocks this long: far longer than any retry back-off there. Only those tests use it,
	 * because stopping a listener waits for its blocked read to return.
	 */
	private static final String LONG_BLOCK = "redis-patterns.stream.block=4s";

	/** A retry that waited for the blocked read instead of its back-off would come this late or later. */
	private static final long BLOCK_MILLIS = 4_000;

	/** Neither claiming nor polling may stand in for the retry schedule. */
	private static final String[] NO_CLAIMS = { "redis-patterns.stream.claim-interval=1h",
			"redis-patterns.stream.claim-idle=1h" };

	static final List<Long> attemptNanos = new CopyOnWriteArrayList<>();

	static final List<Object> handled = new CopyOnWriteArrayList<>();

	record Payment(String payer, String currency) {
	}

	record Refund(String reason) {
	}

	protected abstract RedisDeployment deployment();

	@BeforeEach
	void clean() {
		deployment().flushAll();
		attemptNanos.clear();
		handled.clear();
	}

	private ConfigurableApplicationContext start(Class<?> listeners, String... properties) {
		List<String> all = new java.util.ArrayList<>(List.of(NO_CLAIMS[0], NO_CLAIMS[1],
				"redis-patterns.stream.retry.max=10s"));
		all.addAll(List.of(properties));
		return StreamContexts.start(deployment(), listeners, all.toArray(String[]::new));
	}

	@Configuration(proxyBeanMethods = false)
	static class FailingTwice {

		@Bean
		Object failingTwiceListener() {
			return new Object() {
				@RedisStreamListener(stream = "retried", group = "g", maxDeliveries = 3)
				void on(Payment payment, StreamDelivery delivery) {
					attemptNanos.add(System.nanoTime());
					if (delivery.attempt() < 3) {
						throw new IllegalStateException("declined " + payment.payer());
					}
					handled.add(payment);
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingOnceWithOwnBackOff {

		@Bean
		Object ownBackOffListener() {
			return new Object() {
				@RedisStreamListener(stream = "own-backoff", group = "g", retryBackoff = "300ms")
				void on(Payment payment, StreamDelivery delivery) {
					attemptNanos.add(System.nanoTime());
					if (delivery.attempt() < 2) {
						throw new IllegalStateException("declined " + payment.payer());
					}
					handled.add(payment);
				}
			};
		}

	}

	@Test
	void retriesFollowTheConfiguredBackOffNotTheBlockTime() {
		try (ConfigurableApplicationContext context = start(FailingTwice.class, LONG_BLOCK,
				"redis-patterns.stream.retry.initial=200ms", "redis-patterns.stream.retry.multiplier=2")) {
			context.getBean(StreamPublisher.class).publish("retried", new Payment("ann", "EUR"));
			await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 1);
			long first = millisBetween(0, 1);
			long second = millisBetween(1, 2);
			System.out.println("[measure] retry gaps with retry.initial=200ms, multiplier 2, block 4s: " + first
					+ " ms, " + second + " ms");
			assertThat(first).as("second delivery after the 200ms back-off").isGreaterThanOrEqualTo(200)
				.as("not after the 4s block").isLessThan(BLOCK_MILLIS - 1_000);
			assertThat(second).as("third delivery after 400ms").isGreaterThanOrEqualTo(400).isLessThan(BLOCK_MILLIS - 1_000);
		}
	}

	@Test
	void aListenersOwnRetryBackOffTakesEffect() {
		try (ConfigurableApplicationContext context = start(FailingOnceWithOwnBackOff.class, LONG_BLOCK,
				"redis-patterns.stream.retry.initial=5s")) {
			context.getBean(StreamPublisher.class).publish("own-backoff", new Payment("bob", "EUR"));
			await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 1);
			long gap = millisBetween(0, 1);
			System.out.println("[measure] retry gap with retryBackoff = \"300ms\", block 4s: " + gap + " ms");
			assertThat(gap).isGreaterThanOrEqualTo(300).isLessThan(BLOCK_MILLIS - 1_000);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class PaymentListener {

		@Bean
		Object paymentListener() {
			return new Object() {
				@RedisStreamListener(stream = "payments", group = "g")
				void on(Payment payment) {
					handled.add(payment);
				}
			};
		}

	}

	@Test
	void anEntryOfAnotherPublishedTypeIsDeadLetteredWithTheReasonNotHandled(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start(PaymentListener.class)) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			StreamDeadLetters deadLetters = context.getBean(StreamDeadLetters.class);
			String refundId = publisher.publish("payments", new Refund("damaged"));
			publisher.publish("payments", new Payment("cy", "EUR"));
			String streamKey = context.getBean(StreamKeys.class).stream("payments");
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			// another service's copy of the event (same simple name) and one of another event
			redis.opsForStream().add(streamKey, Map.of("payload", "{\"payer\":\"dee\",\"currency\":\"USD\"}", "type",
					"com.example.billing.Payment"));
			redis.opsForStream().add(streamKey, Map.of("payload", "{\"sku\":\"x\"}", "type",
					"com.example.inventory.StockReserved"));
			await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == 2 && deadLetters.size("payments") == 2);
			assertThat(handled).containsExactlyInAnyOrder(new Payment("cy", "EUR"), new Payment("dee", "USD"));
			List<DeadLetter> letters = deadLetters.list("payments", 10);
			assertThat(letters).extracting(DeadLetter::originalId).contains(refundId);
			assertThat(letters).allSatisfy((letter) -> assertThat(letter.error())
				.contains("does not match the listener's declared type " + Payment.class.getName()));
			assertThat(letters).anySatisfy((letter) -> assertThat(letter.error()).contains(Refund.class.getName()));
			assertThat(output.getAll()).contains("dead-letters entry " + refundId);
		}
	}

	@Test
	void theTypeCheckCanBeTurnedOff() {
		try (ConfigurableApplicationContext context = start(PaymentListener.class,
				"redis-patterns.stream.check-type-header=false")) {
			context.getBean(StreamPublisher.class).publish("payments", new Refund("damaged"));
			await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == 1);
			assertThat(handled).containsExactly(new Payment(null, null));
			assertThat(context.getBean(StreamDeadLetters.class).size("payments")).isZero();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class AlwaysFailing {

		@Bean
		Object alwaysFailingListener() {
			return new Object() {
				@RedisStreamListener(stream = "declined", group = "billing", maxDeliveries = 2, retryBackoff = "50ms")
				void on(Payment payment) {
					throw new IllegalStateException("card declined for " + payment.payer());
				}
			};
		}

	}

	@Test
	void failingHandlersAndDeadLettersAreLoggedRateLimited(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start(AlwaysFailing.class)) {
			StreamPublisher publisher = context.getBean(StreamPublisher.class);
			String first = publisher.publish("declined", new Payment("eve", "EUR"));
			int entries = 20;
			for (int i = 1; i < entries; i++) {
				publisher.publish("declined", new Payment("p" + i, "EUR"));
			}
			StreamDeadLetters deadLetters = context.getBean(StreamDeadLetters.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.size("declined") == entries);
			String log = output.getAll();
			assertThat(log).contains("WARN")
				.contains("failed on entry " + first + " (attempt 1 of 2)")
				.contains("stream declined, group billing")
				.contains("java.lang.IllegalStateException: card declined for eve")
				.contains("dead-letters entry " + first + " after attempt 2");
			assertThat(count(log, "failed on entry ")).as("rate-limited").isLessThan(entries);
			assertThat(count(log, "dead-letters entry ")).as("rate-limited").isLessThan(entries);
		}
	}

	private static long millisBetween(int from, int to) {
		return Duration.ofNanos(attemptNanos.get(to) - attemptNanos.get(from)).toMillis();
	}

	private static int count(String text, String part) {
		int count = 0;
		for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
			count++;
		}
		return count;
	}

}
