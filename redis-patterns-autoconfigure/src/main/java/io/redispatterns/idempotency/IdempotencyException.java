package io.redispatterns.idempotency;

import java.net.URI;

import io.redispatterns.core.RedisPatternsException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * An idempotent request that cannot be answered as asked; rendered as an RFC 9457 problem by
 * the library's exception handler. The subclasses name each case.
 */
public abstract class IdempotencyException extends RedisPatternsException {

	private static final String PROBLEM_BASE = "https://redis-patterns.io/problems/";

	private final HttpStatus status;

	private final String problem;

	IdempotencyException(HttpStatus status, String problem, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.status = status;
		this.problem = problem;
	}

	/**
	 * Returns the HTTP status the problem is answered with.
	 * @return the status
	 */
	public HttpStatus getStatus() {
		return this.status;
	}

	/**
	 * Returns the problem type.
	 * @return a URI such as {@code https://redis-patterns.io/problems/idempotency-key-in-use}
	 */
	public URI getType() {
		return URI.create(PROBLEM_BASE + this.problem);
	}

	/**
	 * Returns the seconds after which a retry may succeed, for {@code Retry-After}.
	 * @return the seconds, or {@code null} when retrying the same request cannot help
	 */
	public @Nullable Long getRetryAfterSeconds() {
		return null;
	}

}
