package io.redispatterns.ratelimit.internal;

import java.time.Duration;
import java.util.List;

import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitHeaderStyle;
import io.redispatterns.ratelimit.RateLimitPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Header styles and rounding of {@link RateLimitHeaders}.
 */
class RateLimitHeadersTests {

	private final RateLimitPolicy quotes = RateLimitPolicy.slidingWindow("quotes", 100, Duration.ofMinutes(1));

	private final RateLimitPolicy hourly = RateLimitPolicy.gcra("hourly", 1000, Duration.ofHours(1));

	private final RateLimitDecision rejected = new RateLimitDecision(RateLimitDecision.Outcome.REJECTED,
			List.of(new RateLimitDecision.Limit(this.quotes, false, 0, Duration.ofMillis(11_200), Duration.ofMillis(11_200)),
					new RateLimitDecision.Limit(this.hourly, true, 400, Duration.ofMinutes(30), Duration.ZERO)));

	@Test
	void bothStyleWritesXRateLimitForTheViolatedLimitAndIetfFieldsForEveryLimit() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		RateLimitHeaders.write(response, this.rejected, RateLimitHeaderStyle.BOTH);
		assertThat(response.getHeader("Retry-After")).isEqualTo("12");
		assertThat(response.getHeader("X-RateLimit-Limit")).isEqualTo("100");
		assertThat(response.getHeader("X-RateLimit-Remaining")).isEqualTo("0");
		assertThat(response.getHeader("X-RateLimit-Reset")).isEqualTo("12");
		assertThat(response.getHeader("RateLimit-Policy")).isEqualTo("\"quotes\";q=100;w=60, \"hourly\";q=1000;w=3600");
		assertThat(response.getHeader("RateLimit")).isEqualTo("\"quotes\";r=0;t=12, \"hourly\";r=400;t=1800");
	}

	@Test
	void ietfStyleOmitsTheXRateLimitHeaders() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		RateLimitHeaders.write(response, this.rejected, RateLimitHeaderStyle.IETF);
		assertThat(response.getHeader("X-RateLimit-Limit")).isNull();
		assertThat(response.getHeader("RateLimit")).isNotNull();
	}

	@Test
	void noneStyleKeepsOnlyRetryAfterOnARefusal() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		RateLimitHeaders.write(response, this.rejected, RateLimitHeaderStyle.NONE);
		assertThat(response.getHeaderNames()).containsExactly("Retry-After");
	}

	@Test
	void retryAfterIsAtLeastOneSecond() {
		RateLimitDecision soon = new RateLimitDecision(RateLimitDecision.Outcome.REJECTED,
				List.of(new RateLimitDecision.Limit(this.quotes, false, 0, Duration.ofMillis(3), Duration.ofMillis(3))));
		assertThat(RateLimitHeaders.retryAfterSeconds(soon)).isEqualTo(1);
	}

	@Test
	void policyNamesAreQuotedAsStructuredFieldStrings() {
		assertThat(RateLimitHeaders.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
	}

}
