package io.redispatterns.sample.session;

import java.util.List;
import java.util.Map;

import io.redispatterns.session.SessionInfo;
import io.redispatterns.session.UserSessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The logged-in user's sessions: list them, log out everywhere, log out everywhere else.
 */
@RestController
@RequestMapping("/api/me/sessions")
class MySessionsController {

	private final UserSessions userSessions;

	MySessionsController(UserSessions userSessions) {
		this.userSessions = userSessions;
	}

	/**
	 * Lists the user's sessions (id hashes, never ids). A cookie-based client finds the CSRF token for
	 * its DELETE requests in the {@code X-CSRF-TOKEN} response header.
	 */
	@GetMapping
	List<SessionInfo> list(Authentication user, HttpServletRequest request, HttpServletResponse response) {
		CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
		if (csrf != null && currentSessionId(request) != null) {
			response.setHeader(csrf.getHeaderName(), csrf.getToken());
		}
		return this.userSessions.list(user.getName(), currentSessionId(request));
	}

	/** Logs the user out everywhere, this session included. */
	@DeleteMapping
	Map<String, Integer> revokeAll(Authentication user) {
		return Map.of("revoked", this.userSessions.revokeAll(user.getName()));
	}

	/** Logs the user out everywhere except in this session. */
	@DeleteMapping("/others")
	Map<String, Integer> revokeOthers(Authentication user, HttpServletRequest request) {
		return Map.of("revoked", this.userSessions.revokeAllExcept(user.getName(), currentSessionId(request)));
	}

	private static @Nullable String currentSessionId(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		return (session != null) ? session.getId() : null;
	}

}
