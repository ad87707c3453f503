package io.redispatterns.session.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.RedisBatch;
import io.redispatterns.core.RedisFailureKind;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.RedisOutcomeUnknownException;
import io.redispatterns.core.RedisUnavailableException;
import io.redispatterns.session.RevocationReason;
import io.redispatterns.session.SessionAttributeCodec;
import io.redispatterns.session.SessionMetrics;
import io.redispatterns.session.SessionSettings;
import io.redispatterns.session.UserSessions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.FlushMode;
import org.springframework.session.MapSession;

/**
 * A Spring Session repository on Redis that can find sessions by principal name without
 * keyspace notifications, {@code CONFIG}, {@code KEYS} or {@code RENAME}.
 * <p>
 * <b>Layout.</b> A session id is {@code <lineage>.<secret>}: a random lineage that an id change keeps
 * and a random UUID that it replaces. Each session is one hash,
 * {@code <prefix>:session:id:{<lineage>}:<secret>}, expiring with the session: fields {@code v}
 * (format version, {@value #FORMAT_VERSION}), {@code created}, {@code accessed} (epoch milliseconds),
 * {@code maxInactive} (seconds), {@code principal}, {@code ip} and {@code ua} (captured at login) and one {@code attr:<name>} field per attribute
 * holding JSON from {@link SessionAttributeCodec}. Each principal's sessions are indexed in a sorted
 * set, {@code <prefix>:session:principal:<name>}, scored by a lease that ends no earlier than the
 * session (see {@link PrincipalIndex}); it is pruned of ended leases on every index write and read,
 * members whose session is found missing are removed on read, and the set itself expires with its
 * last lease, so it cannot grow with stale entries.
 * <p>
 * <b>Round trips and Cluster.</b> A session's hash and its principal's index are in different Cluster
 * slots in general, so no script touches both. A save is one script on the session's slot; when the
 * index changes (login, logout, id change) or a lease is due, the index script is sent back-to-back
 * with it and both are awaited together: one round trip, on Cluster too, where Lettuce sends each
 * command to the node owning its key. A request that changes an attribute costs one {@code EVALSHA}
 * that runs {@code PEXPIRE} and {@code HSET}. Deleting a session is one script (it returns the
 * principal) followed by an index removal that is sent without waiting for its reply. An id change (login, {@code changeSessionId()}) is one script on
 * the session's lineage slot: it writes the whole session under the new id only if the hash under the
 * old id still exists, deletes that hash and leaves a short-lived tombstone naming the new id (so that
 * a re-sent script recognises its own work). A session deleted or revoked meanwhile is therefore never
 * brought back under a new id, and of two concurrent id changes of one session exactly one survives.
 * The session hash and the index are not updated atomically; the index is
 * advisory and every reader checks it against the session hashes. An index member is removed only
 * after its session's hash is deleted (revocation, eviction beyond {@code max-per-user}, the old id
 * after an id change), so a failure in between leaves at worst an entry that readers prune, never a
 * working session that "log out everywhere" cannot find. A save that changes nothing but the
 * last-access time is skipped unless the stored time is at least
 * {@link SessionSettings#touchInterval()} old. A new session with no attributes is not written at
 * all (a client that never stores anything cannot add keys), so an application creates Redis keys
 * only for sessions that hold something.
 * <p>
 * <b>Failures.</b> A stored session that does not decode (unknown format version, malformed field,
 * attribute JSON naming a class outside the allow-list) is logged with a hash of its id, counted
 * ({@code redis.patterns.session.decode-failures}), deleted and treated as absent, so the client gets a
 * new session rather than an error. A Redis fault propagates as
 * {@link RedisUnavailableException} (nothing was applied) or {@link RedisOutcomeUnknownException}
 * (no reply after sending), which the library's web support answers with 503 / 504 problem
 * responses, also when Spring Session saves the session after the handler ran.
 */
public final class RedisPatternsSessionRepository
		implements FindByIndexNameSessionRepository<RedisPatternsSessionRepository.RedisPatternsSession> {

	/** Value of the {@code v} field this version writes and reads. */
	public static final String FORMAT_VERSION = SessionHashFormat.FORMAT_VERSION;

	private static final Log logger = LogFactory.getLog(RedisPatternsSessionRepository.class);

	private final StringRedisTemplate redis;

	private final SessionKeys keys;

	private final SessionAttributeValues values;

	private final SessionSettings settings;

	private final SessionMetrics metrics;

	private final Clock clock;

	private final PrincipalIndex index;

	private final SessionReader reader;

	private final SessionWriter writer;

	/**
	 * Creates a repository.
	 * @param redis the template whose connection factory is used
	 * @param keys the key builder
	 * @param codec the attribute codec
	 * @param settings timeouts, modes and limits
	 * @param metrics where revocations and decode failures are counted
	 * @param clock the clock for last-access times and expiry decisions
	 */
	public RedisPatternsSessionRepository(StringRedisTemplate redis, RedisKeys keys, SessionAttributeCodec codec,
			SessionSettings settings, SessionMetrics metrics, Clock clock) {
		this(redis, keys, codec, settings, metrics, clock, null);
	}

	/**
	 * Creates a repository that stores some attributes encrypted.
	 * @param redis the template whose connection factory is used
	 * @param keys the key builder
	 * @param codec the attribute codec
	 * @param settings timeouts, modes and limits
	 * @param metrics where revocations, decode failures and dropped attributes are counted
	 * @param clock the clock for last-access times and expiry decisions
	 * @param encryption which attributes are encrypted, or {@code null} for none
	 */
	public RedisPatternsSessionRepository(StringRedisTemplate redis, RedisKeys keys, SessionAttributeCodec codec,
			SessionSettings settings, SessionMetrics metrics, Clock clock, @Nullable AttributeEncryption encryption) {
		this.redis = redis;
		this.keys = new SessionKeys(keys);
		this.values = new SessionAttributeValues(codec, encryption, metrics);
		this.settings = settings;
		this.metrics = metrics;
		this.clock = clock;
		this.index = new PrincipalIndex(redis, this.keys, settings, metrics);
		SessionHashFormat format = new SessionHashFormat(values);
		this.reader = new SessionReader(this, redis, this.keys, format, this.index, metrics);
		this.writer = new SessionWriter(this, redis, this.keys, format, this.index);
	}

	/**
	 * Returns the settings.
	 * @return the settings
	 */
	public SessionSettings settings() {
		return this.settings;
	}

	/**
	 * Returns the attribute codec.
	 * @return the codec
	 */
	public SessionAttributeCodec codec() {
		return this.values.codec();
	}

	/**
	 * Returns the key of a session's hash.
	 * @param sessionId the session id
	 * @return {@code <prefix>:session:id:{<lineage>}:<secret>} (see the class description)
	 */
	public String sessionKey(String sessionId) {
		return this.keys.session(sessionId);
	}

	/**
	 * Returns a {@code SCAN MATCH} pattern for every session hash.
	 * @return {@code <prefix>:session:id:*}
	 */
	public String sessionKeyPattern() {
		return this.keys.sessionPattern();
	}

	/** The key that records, for a while, which id a session moved to from {@code sessionId}. */
	String tombstoneKey(String sessionId) {
		return this.keys.tombstone(sessionId);
	}

	/**
	 * Returns the key of a principal's index.
	 * @param principalName the principal name
	 * @return {@code <prefix>:session:principal:<escaped name>}
	 */
	public String principalKey(String principalName) {
		return this.keys.principal(principalName);
	}

	@Override
	public RedisPatternsSession createSession() {
		MapSession cached = new MapSession(this.keys.newId(null));
		cached.setCreationTime(now().truncatedTo(ChronoUnit.MILLIS));
		cached.setLastAccessedTime(cached.getCreationTime());
		cached.setMaxInactiveInterval(this.settings.defaultMaxInactiveInterval());
		RedisPatternsSession session = new RedisPatternsSession(cached, true, null, null, null);
		session.flushIfRequired();
		return session;
	}

	/**
	 * Saves a session.
	 * @throws RedisUnavailableException when Redis could not be reached (nothing was saved)
	 * @throws RedisOutcomeUnknownException when Redis did not answer (the save may have happened)
	 */
	@Override
	public void save(RedisPatternsSession session) {
		try {
			this.writer.write(session);
		}
		catch (RuntimeException ex) {
			throw RedisFailures.translate("Saving session " + idHash(session.getId()), ex);
		}
	}

	/**
	 * Loads a session. The read ({@code HGETALL}) is replay-safe, so when the connection was reset or
	 * closed under it, it is retried once (on the reconnected connection) before the failure is
	 * reported. A timeout is not retried: that would double the wait.
	 * @throws RedisUnavailableException when Redis could not be reached
	 * @throws RedisOutcomeUnknownException when Redis did not answer
	 */
	@Override
	public @Nullable RedisPatternsSession findById(String id) {
		try {
			return this.reader.read(id);
		}
		catch (RuntimeException ex) {
			if (RedisFailures.classify(ex) != RedisFailureKind.OUTCOME_UNKNOWN || SessionFailures.isTimeout(ex)) {
				throw RedisFailures.translate("Loading session " + idHash(id), ex);
			}
			logger.debug("Loading session " + idHash(id) + " got no reply ("
					+ SessionFailures.describe(SessionFailures.rootCause(ex)) + "); retrying once");
		}
		try {
			return this.reader.read(id);
		}
		catch (RuntimeException ex) {
			throw RedisFailures.translate("Loading session " + idHash(id), ex);
		}
	}

	/**
	 * Deletes a session: one script that deletes its hash and returns its principal, then the removal
	 * of its index entry, sent without waiting for the reply (an entry left by a failure is pruned
	 * by the next read).
	 * @throws RedisUnavailableException when Redis could not be reached (nothing was deleted)
	 * @throws RedisOutcomeUnknownException when Redis did not answer
	 */
	@Override
	public void deleteById(String id) {
		try {
			delete(id);
		}
		catch (RuntimeException ex) {
			throw RedisFailures.translate("Deleting session " + idHash(id), ex);
		}
	}

	/**
	 * Reads the principal and deletes the hash in one round trip of two plain commands, then removes the id from
	 * the principal's index without waiting. No script: running one costs Redis several times the two commands it
	 * would run (about 10 µs against 1 µs each, measured with {@code INFO commandstats}). A principal changed by
	 * another request between the two commands leaves an index entry that points to no session, which readers
	 * prune, as after any failure between the hash and the index.
	 */
	void delete(String id) {
		String key = sessionKey(id);
		RedisBatch batch = new RedisBatch(this.redis.getRequiredConnectionFactory());
		int principalAt = batch.hashGet(key, SessionHashFormat.PRINCIPAL_FIELD);
		batch.delete(key);
		List<String> principal = PrincipalIndex.asStrings(batch.execute().get(principalAt));
		if (!principal.isEmpty()) {
			this.index.removeWithoutWaiting(principal.get(0), id);
		}
	}

	/**
	 * Finds a principal's sessions.
	 * @throws RedisUnavailableException when Redis could not be reached
	 * @throws RedisOutcomeUnknownException when Redis did not answer
	 */
	@Override
	public Map<String, RedisPatternsSession> findByIndexNameAndIndexValue(@Nullable String indexName,
			@Nullable String indexValue) {
		// as Spring Session's own repositories: an unknown index or no value finds nothing
		if (!PRINCIPAL_NAME_INDEX_NAME.equals(indexName) || indexValue == null) {
			return Collections.emptyMap();
		}
		try {
			return findByPrincipal(indexValue);
		}
		catch (RuntimeException ex) {
			throw RedisFailures.translate("Finding the sessions of a principal", ex);
		}
	}

	/**
	 * Loads a principal's live sessions, removing index members whose session is gone, expired or
	 * unreadable.
	 */
	public Map<String, RedisPatternsSession> findByPrincipal(String principal) {
		return this.reader.findByPrincipal(principal);
	}

	/**
	 * Revokes sessions of one principal: deletes their hashes, then their index entries (never the
	 * other way round: an entry removed first would hide a session that a failed {@code DEL} left
	 * working). Index entries whose hash is missing are pruned on read anyway.
	 * @return how many of them still existed
	 */
	public int revoke(String principal, Collection<String> ids, RevocationReason reason) {
		if (ids.isEmpty()) {
			return 0;
		}
		int revoked = this.index.deleteHashes(List.copyOf(ids));
		this.metrics.revoked(reason, revoked);
		this.index.remove(principal, List.copyOf(ids));
		return revoked;
	}

	/** Reads a principal's index after pruning it and removing {@code remove}. */
	public List<String> readIndex(String principal, List<String> remove) {
		return this.index.read(principal, remove);
	}

	/** Wraps a decoded session. */
	RedisPatternsSession restore(SessionHashFormat.Stored stored) {
		RedisPatternsSession session = new RedisPatternsSession(stored.session(), false, stored.principal(), stored.ip(),
				stored.userAgent());
		// a dropped attribute is deleted by the next save, so it is dropped (and counted) once
		stored.droppedAttributes().forEach((name) -> session.delta.put(name, null));
		return session;
	}

	public Instant expiry(RedisPatternsSession session) {
		return session.getLastAccessedTime().plus(effectiveMaxInactive(session.getMaxInactiveInterval()));
	}

	Instant now() {
		return this.clock.instant();
	}

	Duration effectiveMaxInactive(Duration interval) {
		return (interval.isNegative() || interval.isZero()) ? this.settings.defaultMaxInactiveInterval() : interval;
	}

	/**
	 * Returns the public, non-reversible form of a session id: the first 16 hex digits of its
	 * SHA-256. Used in logs and by {@link UserSessions}.
	 * @param sessionId the session id
	 * @return the id hash
	 */
	public static String idHash(String sessionId) {
		return SessionFailures.idHash(sessionId);
	}

	/**
	 * A session of {@link RedisPatternsSessionRepository}: Spring Session's {@link MapSession} plus
	 * what has changed since it was last written, its principal and the client captured at login.
	 */
	public final class RedisPatternsSession extends TrackedSession {

		RedisPatternsSession(MapSession cached, boolean isNew, @Nullable String storedPrincipal,
				@Nullable String clientIp, @Nullable String userAgent) {
			super(cached, isNew, storedPrincipal, clientIp, userAgent,
					RedisPatternsSessionRepository.this.settings.saveMode());
		}

		@Override
		public boolean isExpired() {
			return !expiry(this).isAfter(now());
		}

		@Override
		void flushIfRequired() {
			if (RedisPatternsSessionRepository.this.settings.flushMode() == FlushMode.IMMEDIATE) {
				save(this);
			}
		}

		@Override
		String newId(String id) {
			return RedisPatternsSessionRepository.this.keys.newId(id);
		}

	}

}
