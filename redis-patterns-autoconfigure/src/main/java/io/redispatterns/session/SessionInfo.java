package io.redispatterns.session;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One of a user's sessions as {@link UserSessions} lists it. Carries a hash of the session id,
 * never the id itself, so the list can be shown to the user and logged safely.
 *
 * @param idHash SHA-256 of the session id, first 16 hex digits; pass it to
 * {@link UserSessions#revoke(String, String)}
 * @param createdAt when the session was created
 * @param lastAccessedAt when it was last used (written at most once per touch interval)
 * @param expiresAt when it ends if unused (the earlier of idle and absolute expiry)
 * @param clientIp client address captured at login, when known
 * @param userAgent {@code User-Agent} captured at login (at most 256 characters), when known
 * @param current whether this is the session of the request that asked
 */
public record SessionInfo(String idHash, Instant createdAt, Instant lastAccessedAt, Instant expiresAt,
		@Nullable String clientIp, @Nullable String userAgent, boolean current) {
}
