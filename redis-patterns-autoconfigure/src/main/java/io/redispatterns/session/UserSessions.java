package io.redispatterns.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.redispatterns.session.internal.RedisPatternsSessionRepository;
import org.jspecify.annotations.Nullable;

/**
 * A user's view of their sessions: list them, revoke one, revoke all ("log out everywhere") or all
 * but the current one. Sessions are named by {@linkplain SessionInfo#idHash() id hash}, never by
 * id, so the list is safe to show and a leaked list cannot be used to hijack a session.
 * <p>
 * Revoking deletes the sessions' hashes and index entries in one round trip; the next request
 * carrying a revoked session's cookie is unauthenticated (a late save from a request that was
 * already running does not bring the session back). Each revoked session counts towards
 * {@code redis.patterns.session.revocations{reason=user}}.
 */
public final class UserSessions {

	private final RedisPatternsSessionRepository repository;

	/**
	 * Creates the service.
	 * @param repository the session repository
	 */
	public UserSessions(RedisPatternsSessionRepository repository) {
		this.repository = repository;
	}

	/**
	 * Lists a principal's live sessions, most recently used first.
	 * @param principalName the principal name
	 * @return the sessions
	 */
	public List<SessionInfo> list(String principalName) {
		return list(principalName, null);
	}

	/**
	 * Lists a principal's live sessions, most recently used first, marking the current one.
	 * @param principalName the principal name
	 * @param currentSessionId id of the session of the asking request, or {@code null}
	 * @return the sessions
	 */
	public List<SessionInfo> list(String principalName, @Nullable String currentSessionId) {
		Map<String, RedisPatternsSessionRepository.RedisPatternsSession> sessions = this.repository
			.findByPrincipal(principalName);
		List<SessionInfo> infos = new ArrayList<>(sessions.size());
		Duration absolute = this.repository.settings().absoluteTimeout();
		sessions.forEach((id, session) -> {
			Instant expiresAt = this.repository.expiry(session);
			if (absolute != null && session.getCreationTime().plus(absolute).isBefore(expiresAt)) {
				expiresAt = session.getCreationTime().plus(absolute);
			}
			infos.add(new SessionInfo(RedisPatternsSessionRepository.idHash(id), session.getCreationTime(),
					session.getLastAccessedTime(), expiresAt, session.getClientIp(), session.getUserAgent(),
					id.equals(currentSessionId)));
		});
		infos.sort(Comparator.comparing(SessionInfo::lastAccessedAt).reversed());
		return infos;
	}

	/**
	 * Revokes one of a principal's sessions.
	 * @param principalName the principal name
	 * @param idHash the session's {@linkplain SessionInfo#idHash() id hash}
	 * @return whether a session was revoked
	 */
	public boolean revoke(String principalName, String idHash) {
		List<String> ids = this.repository.readIndex(principalName, List.of())
			.stream()
			.filter((id) -> RedisPatternsSessionRepository.idHash(id).equals(idHash))
			.toList();
		return this.repository.revoke(principalName, ids, RevocationReason.USER) > 0;
	}

	/**
	 * Revokes all of a principal's sessions ("log out everywhere").
	 * @param principalName the principal name
	 * @return how many sessions were revoked
	 */
	public int revokeAll(String principalName) {
		return revokeAllExcept(principalName, null);
	}

	/**
	 * Revokes all of a principal's sessions except one, typically the current one.
	 * @param principalName the principal name
	 * @param keptSessionId id of the session to keep, or {@code null} to revoke all
	 * @return how many sessions were revoked
	 */
	public int revokeAllExcept(String principalName, @Nullable String keptSessionId) {
		List<String> ids = this.repository.readIndex(principalName, List.of())
			.stream()
			.filter((id) -> !id.equals(keptSessionId))
			.toList();
		return this.repository.revoke(principalName, ids, RevocationReason.USER);
	}

	/**
	 * Returns the id hash of a session id, as shown in {@link SessionInfo#idHash()}.
	 * @param sessionId the session id
	 * @return the id hash
	 */
	public static String idHash(String sessionId) {
		return RedisPatternsSessionRepository.idHash(sessionId);
	}

}
