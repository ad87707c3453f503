package io.redispatterns.session;

/**
 * Why a session was ended by redis-patterns rather than by its user logging out or idling. The
 * tag value of the {@code redis.patterns.session.revocations} meter.
 */
public enum RevocationReason {

	/** Revoked through {@link UserSessions} (one, all, or all but the current one). */
	USER("user"),

	/** Revoked because the principal went over {@code redis-patterns.session.max-per-user}. */
	MAX_PER_USER("max-per-user"),

	/** Ended because it outlived {@code redis-patterns.session.absolute-timeout}. */
	ABSOLUTE_TIMEOUT("absolute-timeout");

	private final String tag;

	RevocationReason(String tag) {
		this.tag = tag;
	}

	/**
	 * Returns the meter tag value.
	 * @return {@code user}, {@code max-per-user} or {@code absolute-timeout}
	 */
	public String tag() {
		return this.tag;
	}

}
