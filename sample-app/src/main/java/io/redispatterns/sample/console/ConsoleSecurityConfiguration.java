package io.redispatterns.sample.console;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;

/**
 * Spring Security for the operator console at {@code /redis-patterns/**}: only users with the role
 * {@code OPS} (authority {@code ROLE_OPS}, the demo user {@code ops}) get in; other users get 403.
 * A browser without a session is sent to the sample's login page ({@code /login}); scripts may use
 * HTTP Basic. Every form post needs Spring Security's CSRF token, which the console puts in its
 * forms next to its own. The console checks {@code redis-patterns.console.required-authority} again
 * itself, so a mistake in this chain does not open it.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

	@Bean
	SecurityFilterChain consoleSecurityFilterChain(HttpSecurity http) throws Exception {
		CookieCsrfTokenRepository csrfTokens = new CookieCsrfTokenRepository();
		csrfTokens.setHeaderName("X-CSRF-TOKEN");
		return http.securityMatcher("/redis-patterns/**")
			.authorizeHttpRequests((requests) -> requests.anyRequest().hasRole("OPS"))
			.httpBasic((basic) -> basic.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")))
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")))
			.csrf((csrf) -> csrf.csrfTokenRepository(csrfTokens))
			.build();
	}

}
