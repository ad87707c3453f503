package io.redispatterns.session.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.redispatterns.session.RevocationReason;
import io.redispatterns.session.SessionInfo;
import io.redispatterns.session.UserSessions;
import org.jspecify.annotations.Nullable;

/**
 * {@link UserSessions} over the library's session repository: lists read the principal's index and
 * sessions, revocations delete the sessions' hashes and index entries in one round trip and count towards
 * {@code redis.patterns.session.revocations{reason=user}}.
 */
public final class RedisUserSessions implements UserSessions {

	private final RedisPatternsSessionRepository repository;

	/**
	 * Creates the service.
	 * @param repository the session repository
	 */
	public RedisUserSessions(RedisPatternsSessionRepository repository) {
		this.repository = repository;
	}

	@Override
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
			infos.add(new SessionInfo(UserSessions.idHash(id), session.getCreationTime(), session.getLastAccessedTime(),
					expiresAt, session.getClientIp(), session.getUserAgent(), id.equals(currentSessionId)));
		});
		infos.sort(Comparator.comparing(SessionInfo::lastAccessedAt).reversed());
		return infos;
	}

	@Override
	public boolean revoke(String principalName, String idHash) {
		List<String> ids = this.repository.readIndex(principalName, List.of())
			.stream()
			.filter((id) -> UserSessions.idHash(id).equals(idHash))
			.toList();
		return this.repository.revoke(principalName, ids, RevocationReason.USER) > 0;
	}

	@Override
	public int revokeAllExcept(String principalName, @Nullable String keptSessionId) {
		List<String> ids = this.repository.readIndex(principalName, List.of())
			.stream()
			.filter((id) -> !id.equals(keptSessionId))
			.toList();
		return this.repository.revoke(principalName, ids, RevocationReason.USER);
	}

}
