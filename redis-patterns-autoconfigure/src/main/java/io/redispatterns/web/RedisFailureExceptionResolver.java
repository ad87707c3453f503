package io.redispatterns.web;

import java.io.IOException;
import java.time.Duration;

import io.redispatterns.core.RateLimitedLogger;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers a Spring MVC handler's Redis fault with the problem of {@link RedisFailureProblems}
 * ({@code 503} or {@code 504}). It runs after Spring MVC's own resolvers, so an application's
 * {@code @ExceptionHandler} (in a controller or a {@code @ControllerAdvice}) for the same
 * exception wins. Failures that are not Redis faults are left to the next resolver.
 */
public class RedisFailureExceptionResolver implements HandlerExceptionResolver, Ordered {

	/** After Spring MVC's composite of {@code @ExceptionHandler}, {@code @ResponseStatus} and defaults (order 0). */
	public static final int ORDER = 10;

	private static final Log logger = LogFactory.getLog(RedisFailureExceptionResolver.class);

	private final RedisFailureProblems problems;

	private final RateLimitedLogger failureLog = new RateLimitedLogger(logger, Duration.ofSeconds(10));

	/**
	 * Creates the resolver.
	 * @param problems the mapping
	 */
	public RedisFailureExceptionResolver(RedisFailureProblems problems) {
		this.problems = problems;
	}

	@Override
	public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		try {
			if (!this.problems.write(ex, response)) {
				return null;
			}
		}
		catch (IOException writeFailure) {
			return null;
		}
		this.failureLog.warn(request.getMethod() + " " + request.getRequestURI() + " answered "
				+ response.getStatus() + " after a Redis fault: " + ex.getMessage(), null);
		return new ModelAndView();
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
