package io.redispatterns.ratelimit.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.redispatterns.ratelimit.RateLimitDecision;
import io.redispatterns.ratelimit.RateLimitExceededException;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.test.WithRedis;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code @RateLimited} over HTTP (MockMvc) against a real Redis: the 429 with its problem body and
 * headers, headers on allowed responses, repeated annotations, class-level annotations, path
 * policies, client IPs behind trusted proxies, a user's own exception handler, bean methods with
 * SpEL keys, metrics and the Actuator sections.
 */
@WithRedis
@SpringBootTest(classes = RateLimitWebApplication.class,
		properties = { "redis-patterns.key-prefix=web-${random.uuid}",
				"redis-patterns.rate-limit.trusted-proxies=10.0.0.0/8",
				"redis-patterns.rate-limit.policies.quotes.algorithm=sliding-window",
				"redis-patterns.rate-limit.policies.quotes.limit=3",
				"redis-patterns.rate-limit.policies.quotes.window=1m",
				"redis-patterns.rate-limit.policies.quotes.key=ip",
				"redis-patterns.rate-limit.policies.reports.algorithm=token-bucket",
				"redis-patterns.rate-limit.policies.reports.capacity=2",
				"redis-patterns.rate-limit.policies.reports.refill-rate=5/1h",
				"redis-patterns.rate-limit.policies.reports.key=header:X-Api-Key",
				"redis-patterns.rate-limit.policies.open.limit=1",
				"redis-patterns.rate-limit.policies.open.window=1m",
				"redis-patterns.rate-limit.policies.open.paths=/open/**",
				"redis-patterns.rate-limit.policies.open.methods=GET",
				"management.endpoints.web.exposure.include=health,redispatterns",
				"management.endpoint.health.show-details=always" })
@AutoConfigureMockMvc
class RateLimitWebTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MeterRegistry meterRegistry;

	@Autowired
	private RateLimitWebApplication.ReportService reportService;

	@Autowired
	private RateLimiter rateLimiter;

	private static MockHttpServletRequestBuilder from(String ip, String path) {
		return get(path).with((request) -> {
			request.setRemoteAddr(ip);
			return request;
		});
	}

	@Test
	void allowedResponsesCarryTheRateLimitHeaders() throws Exception {
		this.mvc.perform(from("192.0.2.1", "/api/quotes"))
			.andExpect(status().isOk())
			.andExpect(header().string("X-RateLimit-Limit", "3"))
			.andExpect(header().string("X-RateLimit-Remaining", "2"))
			.andExpect(header().string("X-RateLimit-Reset", "60"))
			.andExpect(header().string("RateLimit-Policy", "\"quotes\";q=3;w=60"))
			.andExpect(header().string("RateLimit", "\"quotes\";r=2;t=60"));
	}

	@Test
	void rejectedRequestGets429WithProblemBodyAndHeaders() throws Exception {
		for (int i = 0; i < 3; i++) {
			this.mvc.perform(from("192.0.2.2", "/api/quotes")).andExpect(status().isOk());
		}
		this.mvc.perform(from("192.0.2.2", "/api/quotes"))
			.andExpect(status().isTooManyRequests())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(header().string("Retry-After", matchesPattern("[1-9][0-9]*")))
			.andExpect(header().string("X-RateLimit-Limit", "3"))
			.andExpect(header().string("X-RateLimit-Remaining", "0"))
			.andExpect(header().string("RateLimit-Policy", "\"quotes\";q=3;w=60"))
			.andExpect(header().string("RateLimit", matchesPattern("\"quotes\";r=0;t=[1-9][0-9]*")))
			.andExpect(jsonPath("$.status").value(429))
			.andExpect(jsonPath("$.title").value("Too Many Requests"))
			.andExpect(jsonPath("$.policy").value("quotes"))
			.andExpect(jsonPath("$.limit").value(3))
			.andExpect(jsonPath("$['retry-after']").isNumber())
			.andExpect(jsonPath("$['violated-policies'][0]").value("quotes"));
		// another client is not affected
		this.mvc.perform(from("192.0.2.3", "/api/quotes")).andExpect(status().isOk());
		assertThat(this.meterRegistry.get("redis.patterns.ratelimit.decisions")
			.tag("policy", "quotes")
			.tag("result", "rejected")
			.counter()
			.count()).isGreaterThanOrEqualTo(1);
		assertThat(this.meterRegistry.find("redis.patterns.ratelimit.decisions").meters())
			.allSatisfy((meter) -> assertThat(meter.getId().getTags().toString()).doesNotContain("192.0.2"));
	}

	@Test
	void tokenBucketPolicyIsKeyedByTheApiKeyHeaderAndDeniesMissingKeys() throws Exception {
		this.mvc.perform(get("/api/reports").header("X-Api-Key", "k1")).andExpect(status().isOk());
		this.mvc.perform(get("/api/reports").header("X-Api-Key", "k1")).andExpect(status().isOk());
		this.mvc.perform(get("/api/reports").header("X-Api-Key", "k1"))
			.andExpect(status().isTooManyRequests())
			.andExpect(header().string("RateLimit-Policy", "\"reports\";q=2;w=1440"));
		this.mvc.perform(get("/api/reports").header("X-Api-Key", "k2")).andExpect(status().isOk());
		this.mvc.perform(get("/api/reports"))
			.andExpect(status().isTooManyRequests())
			.andExpect(jsonPath("$.reason").value("key-missing"))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("has no rate-limit key")))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("exceeded"))));
	}

	@Test
	void repeatedAnnotationsAreChargedAllOrNone() throws Exception {
		this.mvc.perform(from("192.0.2.4", "/api/inline"))
			.andExpect(status().isOk())
			.andExpect(header().string("RateLimit-Policy", "\"inline-minute\";q=2;w=60, \"inline-hour\";q=3;w=3600"));
		this.mvc.perform(from("192.0.2.4", "/api/inline")).andExpect(status().isOk());
		this.mvc.perform(from("192.0.2.4", "/api/inline"))
			.andExpect(status().isTooManyRequests())
			.andExpect(jsonPath("$['violated-policies']").value(org.hamcrest.Matchers.contains("inline-minute")))
			// the refused request reports the hour limit uncharged: 1 of 3 left
			.andExpect(header().string("RateLimit", org.hamcrest.Matchers.containsString("\"inline-hour\";r=1;")));
		// and it was not charged: the third unit of the hour is still there, then none
		RateLimitDecision third = this.rateLimiter.tryAcquire("inline-hour", "192.0.2.4");
		assertThat(third.isAllowed()).isTrue();
		assertThat(third.limits().get(0).remaining()).isZero();
		assertThat(this.rateLimiter.tryAcquire("inline-hour", "192.0.2.4").isAllowed()).isFalse();
	}

	@Test
	void classLevelAnnotationLimitsEveryHandler() throws Exception {
		this.mvc.perform(from("192.0.2.5", "/class/a")).andExpect(status().isOk());
		this.mvc.perform(from("192.0.2.5", "/class/a")).andExpect(status().isOk());
		this.mvc.perform(from("192.0.2.5", "/class/a"))
			.andExpect(status().isTooManyRequests())
			.andExpect(jsonPath("$.policy").value("ClassLimitedController"));
	}

	@Test
	void pathPolicyAppliesWithoutAnnotation() throws Exception {
		this.mvc.perform(from("192.0.2.6", "/open/x")).andExpect(status().isOk());
		this.mvc.perform(from("192.0.2.6", "/open/y"))
			.andExpect(status().isTooManyRequests())
			.andExpect(jsonPath("$.policy").value("open"));
	}

	@Test
	void pathVariablesCanKeyAnnotatedHandlers() throws Exception {
		this.mvc.perform(get("/tenants/acme")).andExpect(status().isOk());
		this.mvc.perform(get("/tenants/acme")).andExpect(status().isTooManyRequests());
		this.mvc.perform(get("/tenants/globex")).andExpect(status().isOk());
	}

	@Test
	void forwardedForIsHonouredOnlyFromTrustedProxies() throws Exception {
		// through a trusted proxy, each forwarded client has its own quota
		for (int i = 0; i < 3; i++) {
			this.mvc.perform(from("10.1.2.3", "/api/quotes").header("X-Forwarded-For", "198.51.100.7, 10.9.9.9"))
				.andExpect(status().isOk());
		}
		this.mvc.perform(from("10.1.2.3", "/api/quotes").header("X-Forwarded-For", "198.51.100.7"))
			.andExpect(status().isTooManyRequests());
		this.mvc.perform(from("10.1.2.3", "/api/quotes").header("Forwarded", "for=\"[2001:db8::8]:4711\""))
			.andExpect(status().isOk());
		this.mvc.perform(from("10.1.2.3", "/api/quotes").header("X-Forwarded-For", "198.51.100.8"))
			.andExpect(status().isOk());
		// from an untrusted address the header is ignored: the connection's address is the client
		for (int i = 0; i < 3; i++) {
			this.mvc.perform(from("203.0.113.50", "/api/quotes").header("X-Forwarded-For", "198.51.100." + (20 + i)))
				.andExpect(status().isOk());
		}
		this.mvc.perform(from("203.0.113.50", "/api/quotes").header("X-Forwarded-For", "198.51.100.99"))
			.andExpect(status().isTooManyRequests());
	}

	@Test
	void keysComeFromAResolverBeanOrThePrincipal() throws Exception {
		this.mvc.perform(get("/bean-key").header("X-Tenant", "acme")).andExpect(status().isOk());
		this.mvc.perform(get("/bean-key").header("X-Tenant", "acme")).andExpect(status().isTooManyRequests());
		this.mvc.perform(get("/bean-key").header("X-Tenant", "globex")).andExpect(status().isOk());
		this.mvc.perform(get("/me").principal(() -> "alice")).andExpect(status().isOk());
		this.mvc.perform(get("/me").principal(() -> "alice")).andExpect(status().isTooManyRequests());
		this.mvc.perform(get("/me").principal(() -> "bob")).andExpect(status().isOk());
		// no principal: missing-key deny
		this.mvc.perform(get("/me")).andExpect(status().isTooManyRequests());
	}

	@Test
	void applicationExceptionHandlerTakesOver() throws Exception {
		this.mvc.perform(get("/custom")).andExpect(status().isOk());
		this.mvc.perform(get("/custom"))
			.andExpect(status().isIAmATeapot())
			.andExpect(content().string(containsString("custom")))
			.andExpect(header().exists("Retry-After"));
	}

	@Test
	void beanMethodsAreLimitedBySpelKeyAndThrowTheException() throws Exception {
		assertThat(AopUtils.isAopProxy(this.reportService)).isTrue();
		RateLimitWebApplication.User ada = new RateLimitWebApplication.User("ada-" + System.nanoTime());
		this.reportService.build(ada);
		this.reportService.build(ada);
		assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> this.reportService.build(ada))
			.satisfies((ex) -> assertThat(ex.getDecision().violatedPolicies()).containsExactly("report-build"));
		this.reportService.build(new RateLimitWebApplication.User("bob-" + System.nanoTime()));
		// through a controller the same exception becomes a 429
		this.mvc.perform(get("/service/carol")).andExpect(status().isOk());
		this.mvc.perform(get("/service/carol")).andExpect(status().isOk());
		this.mvc.perform(get("/service/carol"))
			.andExpect(status().isTooManyRequests())
			.andExpect(jsonPath("$.policy").value("report-build"));
	}

	@Test
	void actuatorShowsThePolicies() throws Exception {
		this.mvc.perform(get("/actuator/health"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.components.redisPatterns.details.rateLimit.status").value("UP"))
			.andExpect(jsonPath("$.components.redisPatterns.details.rateLimit.circuitBreaker").value("CLOSED"))
			.andExpect(jsonPath("$.components.redisPatterns.details.rateLimit.policies.quotes")
				.value("sliding-window, 3 per 1m"));
		this.mvc.perform(get("/actuator/redispatterns"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.patterns.rateLimit.policies.quotes.algorithm").value("sliding-window"))
			.andExpect(jsonPath("$.patterns.rateLimit.policies.quotes.limit").value(3))
			.andExpect(jsonPath("$.patterns.rateLimit.policies.reports.capacity").value(2))
			.andExpect(jsonPath("$.patterns.rateLimit.policies.reports.refillRate").value("5/1h"))
			.andExpect(jsonPath("$.patterns.rateLimit.policies['inline-minute'].source").value("annotation or API"));
	}

}
