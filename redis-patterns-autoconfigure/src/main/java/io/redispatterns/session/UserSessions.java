package io.redispatterns.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A user's view of their sessions: list them, revoke one, revoke all ("log out everywhere") or all
 * but the current one. Sessions are named by {@linkplain SessionInfo#idHash() id hash}, never by
 * id, so the list is safe to show and a leaked list cannot be used to hijack a session.
 * <p>
 * The auto-configuration provides one (the {@code redisPatternsUserSessions} bean) over the library's
 * session repository; inject it. Revoking deletes the sessions' hashes and index entries in one round
 * trip; the next request carrying a revoked session's cookie is unauthenticated (a late save from a
 * request that was already running does not bring the session back). Each revoked session counts
 * towards {@code redis.patterns.session.revocations{reason=user}}. An application that defines its own
 * {@code UserSessions} bean (one that audits revocations, say) replaces it.
 */
public interface UserSessions {

	/**
	 * Lists a principal's live sessions, most recently used first.
	 * @param principalName the principal name
	 * @return the sessions
	 */
	default List<SessionInfo> list(String principalName) {
		return list(principalName, null);
	}

	/**
	 * Lists a principal's live sessions, most recently used first, marking the current one.
	 * @param principalName the principal name
	 * @param currentSessionId id of the session of the asking request, or {@code null}
	 * @return the sessions
	 */
	List<SessionInfo> list(String principalName, @Nullable String currentSessionId);

	/**
	 * Revokes one of a principal's sessions.
	 * @param principalName the principal name
	 * @param idHash the session's {@linkplain SessionInfo#idHash() id hash}
	 * @return whether a session was revoked
	 */
	boolean revoke(String principalName, String idHash);

	/**
	 * Revokes all of a principal's sessions ("log out everywhere").
	 * @param principalName the principal name
	 * @return how many sessions were revoked
	 */
	default int revokeAll(String principalName) {
		return revokeAllExcept(principalName, null);
	}

	/**
	 * Revokes all of a principal's sessions except one, typically the current one.
	 * @param principalName the principal name
	 * @param keptSessionId id of the session to keep, or {@code null} to revoke all
	 * @return how many sessions were revoked
	 */
	int revokeAllExcept(String principalName, @Nullable String keptSessionId);

	/**
	 * Returns the id hash of a session id, as shown in {@link SessionInfo#idHash()} and in the library's
	 * logs: the first 16 hex digits of the id's SHA-256.
	 * @param sessionId the session id
	 * @return the id hash
	 */
	static String idHash(String sessionId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

}
