package io.redispatterns.session.internal;

import java.io.IOException;
import java.util.List;

import io.redispatterns.core.ClientAddressResolver;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;

/**
 * Makes the client address and {@code User-Agent} of the current request available to
 * {@link RedisPatternsSessionRepository}, which records them when a session logs in. The address
 * comes from a {@link ClientAddressResolver}: {@code Forwarded}/{@code X-Forwarded-For} are honoured
 * only when the connection comes from one of its trusted proxies, otherwise it is
 * {@link ServletRequest#getRemoteAddr()} (which honours Spring Boot's
 * {@code server.forward-headers-strategy}). Must run
 * outside (before) Spring Session's {@code SessionRepositoryFilter}, because sessions are saved when
 * that filter finishes.
 */
public final class SessionClientFilter implements Filter, Ordered {

	static final int MAX_USER_AGENT_LENGTH = 256;

	private final int order;

	private final ClientAddressResolver clientAddresses;

	/**
	 * Creates the filter that trusts no proxy: it records {@link ServletRequest#getRemoteAddr()}.
	 * @param order its order, lower than that of Spring Session's filter
	 */
	public SessionClientFilter(int order) {
		this(order, new ClientAddressResolver(List.of()));
	}

	/**
	 * Creates the filter.
	 * @param order its order, lower than that of Spring Session's filter
	 * @param clientAddresses finds the client address of a request
	 */
	public SessionClientFilter(int order, ClientAddressResolver clientAddresses) {
		this.order = order;
		this.clientAddresses = clientAddresses;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		String userAgent = null;
		String address = request.getRemoteAddr();
		if (request instanceof HttpServletRequest http) {
			userAgent = http.getHeader("User-Agent");
			address = this.clientAddresses.resolve(http);
		}
		if (userAgent != null && userAgent.length() > MAX_USER_AGENT_LENGTH) {
			userAgent = userAgent.substring(0, MAX_USER_AGENT_LENGTH);
		}
		CurrentClient.Client previous = CurrentClient.set(new CurrentClient.Client(address, userAgent));
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
