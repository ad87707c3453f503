package io.redispatterns.web.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * HTTP answers to Redis faults, bound under {@code redis-patterns.web}.
 */
@ConfigurationProperties("redis-patterns.web")
public class RedisFailureWebProperties {

	/**
	 * Whether Redis faults are answered with 503 / 504 problem responses (Spring MVC handlers and
	 * servlet filters such as Spring Session's).
	 */
	private boolean enabled = true;

	/**
	 * Retry-After of a 503 answered because Redis is unavailable (rounded up to whole seconds).
	 */
	private Duration retryAfter = Duration.ofSeconds(1);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	public void setRetryAfter(Duration retryAfter) {
		this.retryAfter = retryAfter;
	}

}
