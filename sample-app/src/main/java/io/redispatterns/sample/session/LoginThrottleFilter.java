package io.redispatterns.sample.session;

import java.io.IOException;
import java.util.Locale;

import io.redispatterns.core.ClientAddressResolver;
import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitExceededException;
import io.redispatterns.ratelimit.RateLimiter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Throttles password guessing. Every {@code POST /login} is charged to the {@value #POLICY}
 * rate-limit policy under the key {@code <user name>|<client address>} before Spring Security
 * checks the password; a refused attempt never reaches the password check and is answered like
 * every rate-limit refusal of the library: {@code 429}, {@code Retry-After}, an RFC 9457 problem
 * body. Keying by user name and address together means a guesser is stopped without locking the
 * user out from everywhere else.
 */
final class LoginThrottleFilter extends OncePerRequestFilter {

	/** Name of the rate-limit policy in {@code application.yml}. */
	static final String POLICY = "login";

	private static final RequestMatcher LOGIN = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.POST, "/login");

	private final RateLimiter rateLimiter;

	private final ClientAddressResolver clientAddresses;

	private final HandlerExceptionResolver exceptionResolver;

	LoginThrottleFilter(RateLimiter rateLimiter, ClientAddressResolver clientAddresses,
			HandlerExceptionResolver exceptionResolver) {
		this.rateLimiter = rateLimiter;
		this.clientAddresses = clientAddresses;
		this.exceptionResolver = exceptionResolver;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !LOGIN.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		RateLimitDecision decision = this.rateLimiter.tryAcquire(POLICY, key(request));
		if (decision.isAllowed()) {
			chain.doFilter(request, response);
			return;
		}
		RateLimitExceededException refusal = new RateLimitExceededException(decision);
		if (this.exceptionResolver.resolveException(request, response, null, refusal) == null) {
			response.setHeader(HttpHeaders.RETRY_AFTER,
					Long.toString(Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000)));
			response.sendError(HttpStatus.TOO_MANY_REQUESTS.value());
		}
	}

	/**
	 * User names are compared case-insensitively, so {@code Alice} and {@code alice} share one quota;
	 * the address honours {@code redis-patterns.rate-limit.trusted-proxies}.
	 */
	private String key(HttpServletRequest request) {
		String username = request.getParameter("username");
		String user = (username != null) ? username.trim().toLowerCase(Locale.ROOT) : "";
		return user + "|" + this.clientAddresses.resolve(request);
	}

}
