package io.redispatterns.console;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.ClassUtils;

/**
 * Who may use the console. With Spring Security on the class path, only an authenticated user
 * holding the required authority (when one is configured) gets in; the application's own
 * security filter chain runs first and may be stricter. Without Spring Security there is no user
 * to check: the application must protect the console's path itself.
 */
public final class ConsoleSecurity {

	private static final boolean SPRING_SECURITY = ClassUtils.isPresent(
			"org.springframework.security.core.context.SecurityContextHolder", ConsoleSecurity.class.getClassLoader());

	private final String requiredAuthority;

	/**
	 * Creates the check.
	 * @param requiredAuthority the authority a user needs (such as {@code ROLE_OPS}); empty for any
	 * authenticated user
	 */
	public ConsoleSecurity(String requiredAuthority) {
		this.requiredAuthority = requiredAuthority;
	}

	/**
	 * Returns whether users are checked (Spring Security is present).
	 * @return whether Spring Security guards the console
	 */
	public static boolean isSpringSecurityPresent() {
		return SPRING_SECURITY;
	}

	/**
	 * Tells why a request may not use the console.
	 * @param request the request
	 * @return the reason, or {@code null} when it may
	 */
	public @Nullable String refusal(HttpServletRequest request) {
		return SPRING_SECURITY ? SpringSecurityCheck.refusal(this.requiredAuthority) : null;
	}

	/**
	 * Names the operator of a request for the audit log.
	 * @param request the request
	 * @return the user's name, or the client's address when there is no user
	 */
	public String operator(HttpServletRequest request) {
		String user = SPRING_SECURITY ? SpringSecurityCheck.user() : null;
		if (user == null) {
			user = request.getRemoteUser();
		}
		return (user != null) ? user : "anonymous@" + request.getRemoteAddr();
	}

	/** Touches Spring Security only when it is on the class path. */
	private static final class SpringSecurityCheck {

		static @Nullable String refusal(String requiredAuthority) {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			if (authentication == null || !authentication.isAuthenticated()
					|| authentication instanceof AnonymousAuthenticationToken) {
				return "The console needs a logged-in user.";
			}
			if (requiredAuthority.isEmpty()) {
				return null;
			}
			for (GrantedAuthority authority : authentication.getAuthorities()) {
				if (requiredAuthority.equals(authority.getAuthority())) {
					return null;
				}
			}
			return "The console needs the authority " + requiredAuthority + ".";
		}

		static @Nullable String user() {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			return (authentication != null && !(authentication instanceof AnonymousAuthenticationToken))
					? authentication.getName() : null;
		}

	}

}
