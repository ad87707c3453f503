package io.redispatterns.sample.pageviews;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.redispatterns.core.RateLimitedLogger;
import io.redispatterns.core.RedisCircuitBreaker;
import io.redispatterns.core.RedisFailures;
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
 * Redis is down the view is not counted (logged at most every 30 s) and the page is served anyway. After
 * a failure, counting pauses for a second (a circuit breaker), so that an outage does not add a command
 * timeout to every page.
 */
final class PageViewFilter extends OncePerRequestFilter {

	/** The write-behind buffer of page views. */
	static final String BUFFER = "page-views";

	private static final Pattern PRODUCT = Pattern.compile("/api/products/(\\d{1,18})");

	private final WriteBehind<Long> views;

	private final RedisCircuitBreaker breaker = new RedisCircuitBreaker("page-views", 1, Duration.ofSeconds(1));

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
			count(product.group(1));
		}
		chain.doFilter(request, response);
	}

	private void count(String productId) {
		if (!this.breaker.tryAcquire()) {
			this.failures.warn("A page view of product " + productId + " was not counted: Redis failed recently", null);
			return;
		}
		try {
			this.views.increment(productId, 1);
			this.breaker.recordSuccess();
		}
		catch (RuntimeException ex) {
			// a view is worth less than the page: serve it uncounted
			if (RedisFailures.isRedisFault(ex)) {
				this.breaker.recordFailure();
			}
			else {
				this.breaker.release();
			}
			this.failures.warn("A page view of product " + productId + " was not counted", ex);
		}
	}

}
