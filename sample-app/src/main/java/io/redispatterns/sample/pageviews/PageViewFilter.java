package io.redispatterns.sample.pageviews;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.writebehind.WriteBehind;
import io.redispatterns.writebehind.WriteBehinds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts a view of a product for every {@code GET /api/products/{id}}, before anything can answer the
 * request: the filter runs ahead of Spring Security and of any HTTP response cache, so views answered
 * from a cached response or with {@code 304 Not Modified} count too. A view is one {@code increment} of
 * the product's key in the {@value #BUFFER} write-behind buffer (one script, one round trip); when
 * Redis is down the view is not counted (logged at most every 30 s) and the page is served anyway.
 */
final class PageViewFilter extends OncePerRequestFilter {

	/** The write-behind buffer of page views. */
	static final String BUFFER = "page-views";

	private static final Pattern PRODUCT = Pattern.compile("/api/products/(\\d{1,18})");

	private final WriteBehind<Long> views;

	private final RateLimitedLogger failures = new RateLimitedLogger(LogFactory.getLog(PageViewFilter.class),
			Duration.ofSeconds(30));

	PageViewFilter(WriteBehinds buffers) {
		this.views = buffers.buffer(BUFFER, Long.class);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"GET".equals(request.getMethod());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Matcher product = PRODUCT.matcher(request.getRequestURI().substring(request.getContextPath().length()));
		if (product.matches()) {
			try {
				this.views.increment(product.group(1), 1);
			}
			catch (RuntimeException ex) {
				// a view is worth less than the page: serve it uncounted
				this.failures.warn("A page view of product " + product.group(1) + " was not counted", ex);
			}
		}
		chain.doFilter(request, response);
	}

}
