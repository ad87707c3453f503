package io.redispatterns.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.redispatterns.core.RedisFailureKind;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisOutcomeUnknownException;
import io.redispatterns.core.RedisUnavailableException;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Turns a Redis fault into an RFC 9457 problem response:
 * <ul>
 * <li>"unavailable" (nothing was applied, see {@link io.redispatterns.core.RedisUnavailableException}) →
 * {@code 503 Service Unavailable}, {@code Retry-After}, type {@value #UNAVAILABLE_TYPE};</li>
 * <li>"outcome unknown" (sent, no reply, see {@link io.redispatterns.core.RedisOutcomeUnknownException}) →
 * {@code 504 Gateway Timeout}, type {@value #OUTCOME_UNKNOWN_TYPE}, no {@code Retry-After}: the
 * request may have been applied, so the client retries only with the same
 * {@code Idempotency-Key} or after reading the state back.</li>
 * </ul>
 * Only failures that come from Redis are mapped: the exception chain must hold one of the two
 * exceptions above, or a Spring Data Redis or Lettuce exception that
 * {@link RedisFailures#classify(Throwable)} sorts as a fault; a timeout or a reset connection of
 * anything else (a JDBC query, an HTTP call, the client's own socket, a cache loader) is left
 * alone. The body never carries exception class names or stack traces.
 */
public final class RedisFailureProblems {

	/** Problem type of "Redis is unavailable; nothing was applied". */
	public static final String UNAVAILABLE_TYPE = "https://redis-patterns.io/problems/redis-unavailable";

	/** Problem type of "the outcome is unknown; retry with the same idempotency key". */
	public static final String OUTCOME_UNKNOWN_TYPE = "https://redis-patterns.io/problems/redis-outcome-unknown";

	private final long retryAfterSeconds;

	/**
	 * Creates the mapping.
	 * @param retryAfter what {@code Retry-After} of a 503 says (rounded up to whole seconds)
	 */
	public RedisFailureProblems(Duration retryAfter) {
		this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
	}

	/**
	 * Classifies a failure for HTTP.
	 * @param failure what the request processing threw
	 * @return the kind; {@link RedisFailureKind#NOT_REDIS} when the failure did not come from Redis
	 */
	public static RedisFailureKind kindOf(@Nullable Throwable failure) {
		for (Throwable current = failure; current != null; current = (current.getCause() != current)
				? current.getCause() : null) {
			if (current instanceof RedisUnavailableException) {
				return RedisFailureKind.UNAVAILABLE;
			}
			if (current instanceof RedisOutcomeUnknownException) {
				return RedisFailureKind.OUTCOME_UNKNOWN;
			}
			if (fromRedisClient(current)) {
				return RedisFailures.classify(current);
			}
		}
		return RedisFailureKind.NOT_REDIS;
	}

	/**
	 * Returns the problem for a failure.
	 * @param failure what the request processing threw
	 * @return the problem, or {@code null} when the failure is not a Redis fault
	 */
	public @Nullable ProblemDetail problemFor(@Nullable Throwable failure) {
		return switch (kindOf(failure)) {
			case UNAVAILABLE -> unavailable();
			case OUTCOME_UNKNOWN -> outcomeUnknown();
			case NOT_REDIS -> null;
		};
	}

	/**
	 * Writes the problem for a failure, unless the failure is not a Redis fault or the response
	 * is already committed.
	 * @param failure what the request processing threw
	 * @param response the response to write
	 * @return whether the problem was written
	 * @throws IOException when writing fails
	 */
	public boolean write(@Nullable Throwable failure, HttpServletResponse response) throws IOException {
		ProblemDetail problem = problemFor(failure);
		if (problem == null || response.isCommitted()) {
			return false;
		}
		response.reset();
		response.setStatus(problem.getStatus());
		if (problem.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
			response.setHeader("Retry-After", Long.toString(this.retryAfterSeconds));
		}
		response.setHeader("Cache-Control", "no-store");
		response.setContentType("application/problem+json");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write(json(problem));
		response.flushBuffer();
		return true;
	}

	/**
	 * Returns the seconds a 503 tells the client to wait.
	 * @return the {@code Retry-After} value
	 */
	public long retryAfterSeconds() {
		return this.retryAfterSeconds;
	}

	private ProblemDetail unavailable() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"A backing service is unavailable; the request was not applied. Retry after " + this.retryAfterSeconds
						+ " s.");
		problem.setType(URI.create(UNAVAILABLE_TYPE));
		problem.setTitle("Service Unavailable");
		problem.setProperty("outcome", "not-applied");
		problem.setProperty("retry-after", this.retryAfterSeconds);
		return problem;
	}

	private static ProblemDetail outcomeUnknown() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT,
				"A backing service did not answer after the request was sent, so it may or may not have been applied. "
						+ "Retry with the same Idempotency-Key header, or read the current state before retrying.");
		problem.setType(URI.create(OUTCOME_UNKNOWN_TYPE));
		problem.setTitle("Outcome Unknown");
		problem.setProperty("outcome", "unknown");
		return problem;
	}

	/**
	 * A Spring Data Redis or Lettuce exception: its own causes (I/O errors, timeouts) are Redis
	 * faults. Other wrappers, such as a cache loader's failure, are looked through to their cause.
	 */
	private static boolean fromRedisClient(Throwable failure) {
		String name = failure.getClass().getName();
		return name.startsWith("org.springframework.data.redis.") || name.startsWith("io.lettuce.core.");
	}

	/** The problem as JSON; written by hand so that no JSON library is needed on this path. */
	static String json(ProblemDetail problem) {
		StringBuilder json = new StringBuilder("{");
		field(json, "type", String.valueOf(problem.getType()));
		json.append(',');
		field(json, "title", problem.getTitle());
		json.append(",\"status\":").append(problem.getStatus()).append(',');
		field(json, "detail", problem.getDetail());
		Map<String, Object> properties = problem.getProperties();
		if (properties != null) {
			properties.forEach((name, value) -> {
				json.append(',');
				if (value instanceof Number number) {
					string(json, name);
					json.append(':').append(number);
				}
				else {
					field(json, name, String.valueOf(value));
				}
			});
		}
		return json.append('}').toString();
	}

	private static void field(StringBuilder json, String name, @Nullable String value) {
		string(json, name);
		json.append(':');
		if (value == null) {
			json.append("null");
		}
		else {
			string(json, value);
		}
	}

	private static void string(StringBuilder json, String value) {
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				case '\n' -> json.append("\\n");
				case '\r' -> json.append("\\r");
				case '\t' -> json.append("\\t");
				default -> {
					if (c < 0x20) {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		json.append('"');
	}

}
