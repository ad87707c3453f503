package io.redispatterns.idempotency.internal;

import io.redispatterns.idempotency.IdempotencyException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Renders {@link IdempotencyException}s as RFC 9457 {@code application/problem+json}:
 * {@code 400} (key missing or unusable), {@code 409} (key in use, with {@code Retry-After}),
 * {@code 422} (key used for a different request) and {@code 503} (Redis unavailable, with
 * {@code Retry-After}). Ordered last, so an application's own {@code @ExceptionHandler} takes
 * over. Registered by the auto-configuration.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class IdempotencyExceptionHandler {

	/**
	 * Renders the problem.
	 * @param ex the refusal
	 * @return the problem response
	 */
	@ExceptionHandler(IdempotencyException.class)
	public ResponseEntity<ProblemDetail> problem(IdempotencyException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.getStatus(), ex.getMessage());
		problem.setType(ex.getType());
		problem.setTitle(ex.getStatus().getReasonPhrase());
		ResponseEntity.BodyBuilder response = ResponseEntity.status(ex.getStatus());
		Long retryAfter = ex.getRetryAfterSeconds();
		if (retryAfter != null) {
			problem.setProperty("retry-after", retryAfter);
			response.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		}
		return response.body(problem);
	}

}
