package io.redispatterns.session.internal;

import java.security.SecureRandom;
import java.util.HexFormat;

import io.redispatterns.core.RedisKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.session.SessionIdGenerator;
import org.springframework.session.UuidSessionIdGenerator;

/**
 * Session ids and the keys they map to. A session id is {@code <lineage>.<secret>}: a random lineage
 * that an id change keeps and a random UUID that it replaces. The lineage is the hash tag of every
 * key of the session, so the hashes under an old and a new id share a Cluster slot and one script
 * can move a session atomically.
 */
final class SessionKeys {

	static final String PATTERN = "session";

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final int LINEAGE_BYTES = 8;

	private final RedisKeys keys;

	private final SessionIdGenerator idGenerator = UuidSessionIdGenerator.getInstance();

	// escaped once: building a key then checks and escapes only the session id (every operation builds one)
	private final String idNamespace;

	private final String movedNamespace;

	SessionKeys(RedisKeys keys) {
		this.keys = keys;
		this.idNamespace = keys.namespace(PATTERN, "id");
		this.movedNamespace = keys.namespace(PATTERN, "moved");
	}

	/** {@code <prefix>:session:id:{<lineage>}:<secret>}. */
	String session(String sessionId) {
		return lineageKey(this.idNamespace, sessionId);
	}

	/** {@code <prefix>:session:id:*}, for {@code SCAN MATCH}. */
	String sessionPattern() {
		return this.keys.scanPattern(PATTERN, "id");
	}

	/** The key that records, for a while, which id a session moved to from {@code sessionId}. */
	String tombstone(String sessionId) {
		return lineageKey(this.movedNamespace, sessionId);
	}

	/** {@code <prefix>:session:principal:<escaped name>}. */
	String principal(String principalName) {
		return this.keys.key(PATTERN, "principal", principalName);
	}

	/**
	 * Builds {@code <prefix>:session:<name>:{<lineage>}:<secret>} for an id
	 * {@code <lineage>.<secret>}, or {@code <prefix>:session:<name>:{<id>}} for an id without a
	 * lineage: the same key as {@link RedisKeys#tagged}, from a namespace escaped in advance.
	 */
	private static String lineageKey(String namespace, String sessionId) {
		int dot = sessionId.indexOf('.');
		if (dot <= 0) {
			return namespace + '{' + RedisKeys.escape(sessionId) + '}';
		}
		return namespace + '{' + RedisKeys.escape(sessionId.substring(0, dot)) + "}:"
				+ RedisKeys.escape(sessionId.substring(dot + 1));
	}

	/**
	 * Returns a new id in the lineage of {@code sessionId} (a new lineage when {@code null}): the
	 * lineage, a dot and a random UUID. Only the UUID is secret; the lineage merely keeps a session's
	 * keys in one Cluster slot across id changes.
	 */
	String newId(@Nullable String sessionId) {
		String lineage;
		if (sessionId == null) {
			byte[] random = new byte[LINEAGE_BYTES];
			RANDOM.nextBytes(random);
			lineage = HexFormat.of().formatHex(random);
		}
		else {
			int dot = sessionId.indexOf('.');
			lineage = (dot <= 0) ? sessionId : sessionId.substring(0, dot);
		}
		return lineage + "." + this.idGenerator.generate();
	}

}
