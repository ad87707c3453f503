package io.redispatterns.cache.internal;

import java.time.Duration;

import io.redispatterns.cache.CacheMetrics;
import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.core.RedisCircuitBreaker;
import io.redispatterns.core.RedisFailures;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * How the caches take a failed Redis operation: callers never see it (reads become misses, writes
 * and evictions are skipped); it is counted in {@code redis.patterns.cache.errors{operation}}, logged at
 * most every 30 s, and fed to the circuit breaker only when it is a Redis fault.
 */
final class CacheFailures {

	private static final Log logger = LogFactory.getLog(RedisCacheTemplate.class);

	private final RedisCircuitBreaker breaker;

	private final CacheMetrics metrics;

	private final RateLimitedLogger errorLog = new RateLimitedLogger(logger, Duration.ofSeconds(30));

	CacheFailures(RedisCircuitBreaker breaker, CacheMetrics metrics) {
		this.breaker = breaker;
		this.metrics = metrics;
	}

	void redisFailed(String cache, String operation, @Nullable RuntimeException ex) {
		if (ex != null && isInterruption(ex)) {
			// the calling thread was interrupted (Lettuce fails its commands): not a Redis failure
			logger.debug("Redis " + operation + " for cache '" + cache + "' was interrupted", ex);
			this.breaker.release();
			return;
		}
		if (ex != null) {
			if (RedisFailures.isRedisFault(ex)) {
				this.breaker.recordFailure();
			}
			else {
				// a permission, script or decoding error says nothing about Redis being down
				this.breaker.release();
			}
			this.errorLog.warn("Redis " + operation + " for cache '" + cache + "' failed; the caller was not affected", ex);
		}
		this.metrics.redisError(cache, operation);
	}

	/** Logs a problem with an entry (at most every 30 s). */
	void warn(String message) {
		this.errorLog.warn(message, null);
	}

	/**
	 * Tells whether a failure is the calling thread's interruption: an
	 * {@link InterruptedException}, or Lettuce's {@code RedisCommandInterruptedException}, in the
	 * cause chain.
	 */
	static boolean isInterruption(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof InterruptedException
					|| cause.getClass().getName().equals("io.lettuce.core.RedisCommandInterruptedException")) {
				return true;
			}
		}
		return false;
	}

}
