package io.redispatterns.sample.session;

import java.util.Set;

import io.redispatterns.core.ClientAddressResolver;
import io.redispatterns.ratelimit.RateLimiter;
import io.redispatterns.ratelimit.autoconfigure.RateLimitProperties;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Spring Security for the session demo. It covers only {@code /api/me/**}, {@code /login} and
 * {@code /logout}: every other path of the sample is left alone (no authentication, no CSRF token),
 * so the other patterns' endpoints behave as if Spring Security were absent.
 * <ul>
 * <li>{@code POST /login}: form login (the generated page at {@code GET /login} carries the CSRF
 * token); the session id changes at login and the session cookie is issued.</li>
 * <li>{@code /api/me/**}: needs a logged-in session cookie or HTTP Basic credentials; unauthenticated
 * requests get 401. Basic requests are stateless (no session is created).</li>
 * <li>CSRF tokens are required for state-changing requests on these paths that rely on the session
 * cookie; a request that carries its own {@code Authorization} header cannot be forged by another
 * site and needs none.</li>
 * <li>Anonymous requests store nothing, so they create no session in Redis: the CSRF token lives in
 * a cookie ({@code XSRF-TOKEN}, HTTP-only; the same {@code _csrf} form field and
 * {@code X-CSRF-TOKEN} header as before), there is no saved request, and a failed login does not
 * keep its exception in a session (the page shows a generic error).</li>
 * <li>{@code POST /login} is throttled per user name and client address ({@link LoginThrottleFilter}).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class SessionSecurityConfiguration {

	private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	@Bean
	SecurityFilterChain sessionSecurityFilterChain(HttpSecurity http, RateLimiter rateLimiter,
			RateLimitProperties rateLimitProperties,
			@Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) throws Exception {
		BasicAuthenticationEntryPoint entryPoint = new BasicAuthenticationEntryPoint();
		entryPoint.setRealmName("redis-patterns sample");
		// the token is kept in a cookie rather than the session: showing the login page stores nothing
		CookieCsrfTokenRepository csrfTokens = new CookieCsrfTokenRepository();
		csrfTokens.setHeaderName("X-CSRF-TOKEN");
		// a failed login must not create a session just to carry its error message to the login page
		SimpleUrlAuthenticationFailureHandler loginFailed = new SimpleUrlAuthenticationFailureHandler("/login?error");
		loginFailed.setAllowSessionCreation(false);
		LoginThrottleFilter loginThrottle = new LoginThrottleFilter(rateLimiter,
				ClientAddressResolver.forProperty("redis-patterns.rate-limit.trusted-proxies",
						rateLimitProperties.getTrustedProxies()),
				exceptionResolver);
		return http.securityMatcher("/api/me/**", "/login", "/logout")
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/api/me/**").authenticated()
				.anyRequest()
				.permitAll())
			.addFilterBefore(loginThrottle, UsernamePasswordAuthenticationFilter.class)
			.formLogin((form) -> form.defaultSuccessUrl("/api/me/sessions", true).failureHandler(loginFailed))
			.httpBasic((basic) -> basic.authenticationEntryPoint(entryPoint))
			// A default entry point (not a fixed one) keeps Spring Security's generated login page.
			.exceptionHandling((exceptions) -> exceptions.defaultAuthenticationEntryPointFor(entryPoint,
					AnyRequestMatcher.INSTANCE))
			.requestCache((cache) -> cache.requestCache(new NullRequestCache()))
			.logout(Customizer.withDefaults())
			.csrf((csrf) -> csrf.csrfTokenRepository(csrfTokens)
				.requireCsrfProtectionMatcher(SessionSecurityConfiguration::needsCsrfToken))
			.build();
	}

	private static boolean needsCsrfToken(HttpServletRequest request) {
		return !SAFE_METHODS.contains(request.getMethod()) && request.getHeader(HttpHeaders.AUTHORIZATION) == null;
	}

	/** Demo users only: in-memory, plain-text passwords. Never do this in a real application. */
	@Bean
	InMemoryUserDetailsManager demoUsers() {
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}alice-password").roles("USER").build(),
				User.withUsername("bob").password("{noop}bob-password").roles("USER").build(),
				// the operator who may use the redis-patterns console (see ConsoleSecurityConfiguration)
				User.withUsername("ops").password("{noop}ops-password").roles("OPS").build());
	}


}
