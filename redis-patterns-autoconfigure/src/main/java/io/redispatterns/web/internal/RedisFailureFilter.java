package io.redispatterns.web.internal;

import java.io.IOException;
import java.time.Duration;

import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.web.RedisFailureProblems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers a Redis fault raised outside Spring MVC's exception handling with the problem of
 * {@link RedisFailureProblems}, instead of the servlet container's error page. Spring Session's
 * {@code SessionRepositoryFilter}, for instance, saves the session after the handler ran (or
 * when the response is about to be committed): a save that fails because Redis is down would
 * otherwise reach the container as a {@code 500}. Registered ahead of the session filter and
 * Spring Security. A response that is already committed is left as it is (the fault is
 * rethrown).
 */
public class RedisFailureFilter extends OncePerRequestFilter {

	/** Ahead of Spring Session's filter ({@code Integer.MIN_VALUE + 50}). */
	public static final int ORDER = Integer.MIN_VALUE + 40;

	private static final Log logger = LogFactory.getLog(RedisFailureFilter.class);

	private final RedisFailureProblems problems;

	private final RateLimitedLogger failureLog = new RateLimitedLogger(logger, Duration.ofSeconds(10));

	/**
	 * Creates the filter.
	 * @param problems the mapping
	 */
	public RedisFailureFilter(RedisFailureProblems problems) {
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | IOException | RuntimeException ex) {
			if (!this.problems.write(ex, response)) {
				throw ex;
			}
			this.failureLog.warn(request.getMethod() + " " + request.getRequestURI() + " answered "
					+ response.getStatus() + " after a Redis fault: " + ex.getMessage(), null);
		}
	}

}
