package io.redispatterns.session;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;

/**
 * Makes the client address ({@link ServletRequest#getRemoteAddr()}, which honours Spring Boot's
 * {@code server.forward-headers-strategy}) and {@code User-Agent} of the current request available to
 * {@link RedisPatternsSessionRepository}, which records them when a session logs in. Must run
 * outside (before) Spring Session's {@code SessionRepositoryFilter}, because sessions are saved when
 * that filter finishes.
 */
public final class SessionClientFilter implements Filter, Ordered {

	static final int MAX_USER_AGENT_LENGTH = 256;

	private final int order;

	/**
	 * Creates the filter.
	 * @param order its order, lower than that of Spring Session's filter
	 */
	public SessionClientFilter(int order) {
		this.order = order;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		String userAgent = (request instanceof HttpServletRequest http) ? http.getHeader("User-Agent") : null;
		if (userAgent != null && userAgent.length() > MAX_USER_AGENT_LENGTH) {
			userAgent = userAgent.substring(0, MAX_USER_AGENT_LENGTH);
		}
		CurrentClient.Client previous = CurrentClient.set(new CurrentClient.Client(request.getRemoteAddr(), userAgent));
		try {
			chain.doFilter(request, response);
		}
		finally {
			CurrentClient.set(previous);
		}
	}

	@Override
	public int getOrder() {
		return this.order;
	}

}
