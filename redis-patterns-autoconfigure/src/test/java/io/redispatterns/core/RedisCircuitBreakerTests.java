package io.redispatterns.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * State changes of {@link RedisCircuitBreaker} on a hand-driven clock.
 */
class RedisCircuitBreakerTests {

	private final AtomicLong clock = new AtomicLong();

	private final RedisCircuitBreaker breaker = new RedisCircuitBreaker("test", 3, Duration.ofSeconds(5),
			this.clock::get);

	@Test
	void staysClosedBelowTheThresholdAndASuccessResetsTheCount() {
		this.breaker.recordFailure();
		this.breaker.recordFailure();
		assertThat(this.breaker.state()).isEqualTo(RedisCircuitBreaker.State.CLOSED);
		this.breaker.recordSuccess();
		assertThat(this.breaker.consecutiveFailures()).isZero();
		this.breaker.recordFailure();
		this.breaker.recordFailure();
		assertThat(this.breaker.tryAcquire()).isTrue();
	}

	@Test
	void opensAtTheThresholdAndSkipsCallsUntilTheCoolDownEnds() {
		for (int i = 0; i < 3; i++) {
			this.breaker.recordFailure();
		}
		assertThat(this.breaker.state()).isEqualTo(RedisCircuitBreaker.State.OPEN);
		assertThat(this.breaker.tryAcquire()).isFalse();
		this.clock.addAndGet(Duration.ofMillis(4999).toNanos());
		assertThat(this.breaker.tryAcquire()).isFalse();
	}

	@Test
	void letsOneProbeThroughAfterTheCoolDownAndClosesOnItsSuccess() {
		open();
		this.clock.addAndGet(Duration.ofSeconds(5).toNanos());
		assertThat(this.breaker.tryAcquire()).isTrue();
		assertThat(this.breaker.state()).isEqualTo(RedisCircuitBreaker.State.HALF_OPEN);
		assertThat(this.breaker.tryAcquire()).as("second caller while the probe runs").isFalse();
		this.breaker.recordSuccess();
		assertThat(this.breaker.state()).isEqualTo(RedisCircuitBreaker.State.CLOSED);
		assertThat(this.breaker.tryAcquire()).isTrue();
	}

	@Test
	void reopensForAnotherCoolDownWhenTheProbeFails() {
		open();
		this.clock.addAndGet(Duration.ofSeconds(5).toNanos());
		assertThat(this.breaker.tryAcquire()).isTrue();
		this.breaker.recordFailure();
		assertThat(this.breaker.state()).isEqualTo(RedisCircuitBreaker.State.OPEN);
		this.clock.addAndGet(Duration.ofSeconds(4).toNanos());
		assertThat(this.breaker.tryAcquire()).isFalse();
		this.clock.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(this.breaker.tryAcquire()).isTrue();
	}

	@Test
	void rejectsNonsensicalSettings() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisCircuitBreaker("x", 0, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisCircuitBreaker("x", 1, Duration.ZERO));
	}

	private void open() {
		for (int i = 0; i < 3; i++) {
			this.breaker.recordFailure();
		}
	}

	@Test
	void aReleasedProbeLetsTheNextCallerProbeInsteadOfStickingHalfOpen() {
		for (int i = 0; i < 3; i++) {
			this.breaker.recordFailure();
		}
		this.clock.addAndGet(Duration.ofSeconds(5).toNanos());
		assertThat(this.breaker.tryAcquire()).isTrue();
		assertThat(this.breaker.state()).isEqualTo(RedisCircuitBreaker.State.HALF_OPEN);
		assertThat(this.breaker.tryAcquire()).isFalse();
		// the probe ended for a reason that says nothing about Redis (the application was busy)
		this.breaker.release();
		assertThat(this.breaker.tryAcquire()).isTrue();
		this.breaker.recordSuccess();
		assertThat(this.breaker.state()).isEqualTo(RedisCircuitBreaker.State.CLOSED);
	}

	@Test
	void releaseLeavesAClosedBreakerAlone() {
		this.breaker.recordFailure();
		this.breaker.release();
		assertThat(this.breaker.state()).isEqualTo(RedisCircuitBreaker.State.CLOSED);
		assertThat(this.breaker.consecutiveFailures()).isEqualTo(1);
	}

}
