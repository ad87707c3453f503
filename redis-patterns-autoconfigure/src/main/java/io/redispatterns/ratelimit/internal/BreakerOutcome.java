package io.redispatterns.ratelimit.internal;

import java.util.List;

import io.redispatterns.core.RedisCircuitBreaker;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisReconnectWatch;

/**
 * Reports a decision call's outcome to its breakers. Only Redis faults count as failures: an error
 * that is not one (see {@link RedisFailures}), an interrupt, or the limiter's own timeout while the
 * call still waited for a local thread say the application is busy and must not open a breaker
 * (which would fail every policy open or closed under load). A call that timed out after its
 * command was handed to the client counts only while Lettuce is reconnecting a lost connection
 * (Redis is gone); on a live connection the delay may be a slow Redis or a starved application,
 * so it does not count (a Redis silent on a live connection costs each decision the limiter's
 * timeout instead of opening the breaker).
 *
 * @param breakers the breakers of the policies in the call
 * @param reconnects whether Lettuce is reconnecting
 */
record BreakerOutcome(List<RedisCircuitBreaker> breakers, RedisReconnectWatch reconnects)
		implements DecisionTransport.Outcome {

	@Override
	public void succeeded() {
		this.breakers.forEach(RedisCircuitBreaker::recordSuccess);
	}

	@Override
	public void failed(Throwable failure) {
		count(RedisFailures.isRedisFault(failure));
	}

	@Override
	public void timedOut(boolean sent) {
		count(sent && this.reconnects.isReconnecting());
	}

	private void count(boolean redisFault) {
		if (redisFault) {
			this.breakers.forEach(RedisCircuitBreaker::recordFailure);
		}
		else {
			this.breakers.forEach(RedisCircuitBreaker::release);
		}
	}

}
