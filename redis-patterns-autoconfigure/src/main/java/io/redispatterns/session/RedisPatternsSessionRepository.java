package io.redispatterns.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.redispatterns.core.JsonCodecException;
import io.redispatterns.core.RedisFailureKind;
import io.redispatterns.core.RedisFailures;
import io.redispatterns.core.RedisKeys;
import io.redispatterns.core.RedisOutcomeUnknownException;
import io.redispatterns.core.RedisScripts;
import io.redispatterns.core.RedisUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisPipelineException;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceExceptionConverter;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisConnectionUtils;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.session.DelegatingIndexResolver;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.FlushMode;
import org.springframework.session.IndexResolver;
import org.springframework.session.MapSession;
import org.springframework.session.PrincipalNameIndexResolver;
import org.springframework.session.SaveMode;
import org.springframework.session.Session;
import org.springframework.session.SessionIdGenerator;
import org.springframework.session.UuidSessionIdGenerator;

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
 * set, {@code <prefix>:session:principal:<name>}, scored by each session's expiry time; it is pruned
 * of expired members on every write and read, members whose session is found missing are removed on
 * read, and the set itself expires with its last member, so it cannot grow with stale entries.
 * <p>
 * <b>Round trips and Cluster.</b> A session's hash and its principal's index are in different Cluster
 * slots in general, so no script touches both. Saving sends the session script and the index script
 * back-to-back and awaits them together: one round trip, on Cluster too, where Lettuce sends each
 * command to the node owning its key. An id change (login, {@code changeSessionId()}) is one script on
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
	public static final String FORMAT_VERSION = "1";

	static final String PATTERN = "session";

	static final String VERSION_FIELD = "v";

	static final String CREATED_FIELD = "created";

	static final String ACCESSED_FIELD = "accessed";

	static final String MAX_INACTIVE_FIELD = "maxInactive";

	static final String PRINCIPAL_FIELD = "principal";

	static final String IP_FIELD = "ip";

	static final String USER_AGENT_FIELD = "ua";

	static final String ATTRIBUTE_PREFIX = "attr:";

	private static final Log logger = LogFactory.getLog(RedisPatternsSessionRepository.class);

	private static final LettuceExceptionConverter EXCEPTIONS = new LettuceExceptionConverter();

	private static final RedisScript<Long> SAVE = RedisScripts.load(RedisPatternsSessionRepository.class,
			"save.lua", Long.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> INDEX_UPDATE = RedisScripts.load(RedisPatternsSessionRepository.class,
			"index-update.lua", List.class);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> INDEX_READ = RedisScripts.load(RedisPatternsSessionRepository.class,
			"index-read.lua", List.class);

	private static final RedisScript<String> DELETE = RedisScripts.load(RedisPatternsSessionRepository.class,
			"delete.lua", String.class);

	private final StringRedisTemplate redis;

	private final RedisKeys keys;

	private final SessionAttributeCodec codec;

	private final SessionSettings settings;

	private final SessionMetrics metrics;

	private final Clock clock;

	private final IndexResolver<Session> indexResolver = new DelegatingIndexResolver<>(
			new PrincipalNameIndexResolver<>());

	private final SessionIdGenerator idGenerator = UuidSessionIdGenerator.getInstance();

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final int LINEAGE_BYTES = 8;

	/** Longest time a tombstone of a moved session id is kept (to recognise a re-sent move). */
	private static final Duration MAX_TOMBSTONE_TTL = Duration.ofMinutes(10);

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
		this.redis = redis;
		this.keys = keys;
		this.codec = codec;
		this.settings = settings;
		this.metrics = metrics;
		this.clock = clock;
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
		return this.codec;
	}

	/**
	 * Returns the key of a session's hash.
	 * @param sessionId the session id
	 * @return {@code <prefix>:session:id:{<lineage>}:<secret>} (see the class description)
	 */
	public String sessionKey(String sessionId) {
		return lineageKey("id", sessionId);
	}

	/**
	 * Returns a {@code SCAN MATCH} pattern for every session hash.
	 * @return {@code <prefix>:session:id:*}
	 */
	public String sessionKeyPattern() {
		return this.keys.scanPattern(PATTERN, "id");
	}

	/** The key that records, for a while, which id a session moved to from {@code sessionId}. */
	String tombstoneKey(String sessionId) {
		return lineageKey("moved", sessionId);
	}

	/**
	 * Builds {@code <prefix>:session:<name>:{<lineage>}:<secret>} for an id
	 * {@code <lineage>.<secret>}, or {@code <prefix>:session:<name>:{<id>}} for an id without a
	 * lineage. The hash tag is the lineage, which an id change keeps: the hashes under the old and
	 * the new id share a Cluster slot, so one script can move a session atomically.
	 */
	private String lineageKey(String name, String sessionId) {
		int dot = sessionId.indexOf('.');
		if (dot <= 0) {
			return this.keys.tagged(PATTERN, name, sessionId);
		}
		return this.keys.tagged(PATTERN, name, sessionId.substring(0, dot), sessionId.substring(dot + 1));
	}

	/**
	 * Returns a new id in the lineage of {@code sessionId} (a new lineage when {@code null}): the
	 * lineage, a dot and a random UUID. Only the UUID is secret; the lineage merely keeps a session's
	 * keys in one Cluster slot across id changes.
	 */
	private String newId(@Nullable String sessionId) {
		String lineage;
		int dot = (sessionId != null) ? sessionId.indexOf('.') : -1;
		if (sessionId == null) {
			byte[] random = new byte[LINEAGE_BYTES];
			RANDOM.nextBytes(random);
			lineage = HexFormat.of().formatHex(random);
		}
		else {
			lineage = (dot <= 0) ? sessionId : sessionId.substring(0, dot);
		}
		return lineage + "." + this.idGenerator.generate();
	}

	/**
	 * Returns the key of a principal's index.
	 * @param principalName the principal name
	 * @return {@code <prefix>:session:principal:<escaped name>}
	 */
	public String principalKey(String principalName) {
		return this.keys.key(PATTERN, "principal", principalName);
	}

	@Override
	public RedisPatternsSession createSession() {
		MapSession cached = new MapSession(newId(null));
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
			write(session);
		}
		catch (RuntimeException ex) {
			throw RedisFailures.translate("Saving session " + idHash(session.getId()), ex);
		}
	}

	private void write(RedisPatternsSession session) {
		if (session.isNew && session.getAttributeNames().isEmpty()) {
			// A new session that holds nothing is not worth a key: writing it would let every
			// cookie-less request (a crawler, a health probe, a flood) add one to Redis. It is
			// written by the first save after something is stored in it.
			return;
		}
		String principal = this.indexResolver.resolveIndexesFor(session).get(PRINCIPAL_NAME_INDEX_NAME);
		boolean idChanged = !session.getId().equals(session.originalId);
		boolean full = session.isNew || idChanged;
		boolean principalChanged = !Objects.equals(principal, session.storedPrincipal);
		Duration sinceWritten = Duration.between(session.storedLastAccessed, session.getLastAccessedTime());
		boolean touch = sinceWritten.compareTo(this.settings.touchInterval()) >= 0;
		if (!full && !principalChanged && !session.metaChanged && session.delta.isEmpty() && !touch) {
			return;
		}
		long ttl = Duration.between(now(), expiry(session)).toMillis();
		if (ttl <= 0) {
			return;
		}
		Map<String, String> fields = new LinkedHashMap<>();
		List<String> removed = new ArrayList<>();
		fields.put(ACCESSED_FIELD, Long.toString(session.getLastAccessedTime().toEpochMilli()));
		if (full) {
			fields.put(VERSION_FIELD, FORMAT_VERSION);
			fields.put(CREATED_FIELD, Long.toString(session.getCreationTime().toEpochMilli()));
			fields.put(MAX_INACTIVE_FIELD, Long.toString(session.getMaxInactiveInterval().toSeconds()));
			for (String name : session.getAttributeNames()) {
				Object value = session.cached.getAttribute(name);
				if (value != null) {
					fields.put(ATTRIBUTE_PREFIX + name, this.codec.encode(value));
				}
			}
		}
		else {
			if (session.metaChanged) {
				fields.put(MAX_INACTIVE_FIELD, Long.toString(session.getMaxInactiveInterval().toSeconds()));
			}
			session.delta.forEach((name, value) -> {
				if (value != null) {
					fields.put(ATTRIBUTE_PREFIX + name, this.codec.encode(value));
				}
				else {
					removed.add(ATTRIBUTE_PREFIX + name);
				}
			});
		}
		String clientIp = session.clientIp;
		String userAgent = session.userAgent;
		if (principal != null) {
			fields.put(PRINCIPAL_FIELD, principal);
		}
		else if (!full) {
			removed.add(PRINCIPAL_FIELD);
		}
		if (principalChanged) {
			CurrentClient.Client client = (principal != null) ? CurrentClient.get() : null;
			clientIp = (client != null) ? client.ip() : null;
			userAgent = (client != null) ? client.userAgent() : null;
		}
		if (full || principalChanged) {
			putOrRemove(fields, removed, IP_FIELD, clientIp, !full);
			putOrRemove(fields, removed, USER_AGENT_FIELD, userAgent, !full);
		}

		Pipeline pipeline = new Pipeline();
		boolean move = idChanged && !session.isNew;
		List<String> saveKeys = move
				? List.of(sessionKey(session.getId()), sessionKey(session.originalId),
						tombstoneKey(session.originalId))
				: List.of(sessionKey(session.getId()));
		List<String> saveArgs = new ArrayList<>();
		saveArgs.add(move ? "move" : (full ? "create" : "update"));
		saveArgs.add(Long.toString(ttl));
		saveArgs.add(move ? session.getId() : "");
		saveArgs.add(Long.toString(Math.min(ttl, MAX_TOMBSTONE_TTL.toMillis())));
		saveArgs.add(Integer.toString(fields.size()));
		fields.forEach((field, value) -> {
			saveArgs.add(field);
			saveArgs.add(value);
		});
		saveArgs.addAll(removed);
		int saveResult = pipeline.script(SAVE, ReturnType.INTEGER, saveKeys, saveArgs);
		int indexResult = -1;
		String previousId = (idChanged && !session.isNew) ? session.originalId : "";
		if (principal != null) {
			indexResult = pipeline.script(INDEX_UPDATE, ReturnType.MULTI, List.of(principalKey(principal)),
					List.of(session.getId(), Long.toString(ttl), principalChanged ? "" : previousId,
							Integer.toString(this.settings.maxPerUser())));
		}
		List<Object> results = pipeline.execute();

		boolean written = asLong(results.get(saveResult)) == 1L;
		String formerPrincipal = session.storedPrincipal;
		String formerId = session.originalId;
		session.markSaved(principal, clientIp, userAgent);
		if (!written) {
			if (logger.isDebugEnabled()) {
				logger.debug("Session " + idHash(session.getId()) + " was not saved: it was deleted, revoked, "
						+ "expired or moved to another id meanwhile");
			}
			if (principal != null) {
				readIndex(principal, List.of(session.getId()));
			}
			return;
		}
		// Index members are removed only now that the hashes they point to are gone (the old hash
		// was deleted in the batch above): a failure in between leaves an entry that readers prune,
		// never a live session missing from its principal's index.
		if (principalChanged && formerPrincipal != null) {
			removeFromIndex(formerPrincipal, formerId);
		}
		if (principal != null) {
			List<String> removable = new ArrayList<>();
			if (!principalChanged && !previousId.isEmpty()) {
				removable.add(previousId);
			}
			removable.addAll(evict(asStrings(results.get(indexResult))));
			removeFromIndex(principal, removable.toArray(String[]::new));
		}
	}

	/**
	 * Deletes the hashes of sessions beyond {@code max-per-user} and returns the ids whose hash is
	 * gone. A failure is logged and counted, never thrown: the login that caused it has succeeded,
	 * and the sessions stay listed (and revocable) in their index until a later save evicts them.
	 */
	private List<String> evict(List<String> candidates) {
		if (candidates.isEmpty()) {
			return candidates;
		}
		int deleted;
		try {
			deleted = deleteHashes(candidates);
		}
		catch (RuntimeException ex) {
			this.metrics.evictionFailure();
			logger.warn("Could not revoke " + candidates.size() + " session(s) beyond max-per-user "
					+ this.settings.maxPerUser() + "; they stay listed and will be evicted by a later login: "
					+ describe(rootCause(ex)));
			return List.of();
		}
		this.metrics.revoked(RevocationReason.MAX_PER_USER, deleted);
		if (logger.isDebugEnabled()) {
			logger.debug("Revoked " + deleted + " session(s) beyond max-per-user " + this.settings.maxPerUser());
		}
		return candidates;
	}

	/**
	 * Removes ids whose session hashes are already deleted from a principal's index. A failure only
	 * leaves entries that the next read prunes, so it is logged, not thrown.
	 */
	private void removeFromIndex(String principal, String... ids) {
		if (ids.length == 0) {
			return;
		}
		try {
			this.redis.opsForZSet().remove(principalKey(principal), (Object[]) ids);
		}
		catch (RuntimeException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Could not remove " + ids.length + " deleted session(s) from a principal index; "
						+ "the next read prunes them: " + describe(rootCause(ex)));
			}
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
			return read(id);
		}
		catch (RuntimeException ex) {
			if (RedisFailures.classify(ex) != RedisFailureKind.OUTCOME_UNKNOWN || isTimeout(ex)) {
				throw RedisFailures.translate("Loading session " + idHash(id), ex);
			}
			logger.debug("Loading session " + idHash(id) + " got no reply (" + describe(rootCause(ex)) + "); retrying once");
		}
		try {
			return read(id);
		}
		catch (RuntimeException ex) {
			throw RedisFailures.translate("Loading session " + idHash(id), ex);
		}
	}

	private static boolean isTimeout(Throwable failure) {
		for (Throwable current = failure; current != null; current = (current.getCause() != current)
				? current.getCause() : null) {
			if (current instanceof QueryTimeoutException || current instanceof TimeoutException
					|| current instanceof io.lettuce.core.RedisCommandTimeoutException) {
				return true;
			}
		}
		return false;
	}

	private @Nullable RedisPatternsSession read(String id) {
		Map<Object, Object> hash = this.redis.opsForHash().entries(sessionKey(id));
		if (hash.isEmpty()) {
			return null;
		}
		RedisPatternsSession session = usable(id, toStrings(hash));
		if (session == null) {
			delete(id);
		}
		return session;
	}

	/**
	 * Deletes a session.
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

	private void delete(String id) {
		String principal = this.redis.execute(DELETE, List.of(sessionKey(id)));
		if (principal != null) {
			readIndex(principal, List.of(id));
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
	Map<String, RedisPatternsSession> findByPrincipal(String principal) {
		List<String> ids = readIndex(principal, List.of());
		if (ids.isEmpty()) {
			return Collections.emptyMap();
		}
		Pipeline reads = new Pipeline();
		for (String id : ids) {
			reads.hashGetAll(sessionKey(id));
		}
		List<Object> hashes = reads.execute();
		Map<String, RedisPatternsSession> sessions = new LinkedHashMap<>();
		List<String> stale = new ArrayList<>();
		List<String> unusable = new ArrayList<>();
		for (int i = 0; i < ids.size(); i++) {
			String id = ids.get(i);
			Map<String, String> hash = toStrings(hashes.get(i));
			if (hash.isEmpty()) {
				stale.add(id);
				continue;
			}
			RedisPatternsSession session = usable(id, hash);
			if (session == null) {
				unusable.add(id);
			}
			else if (!principal.equals(session.storedPrincipal)) {
				stale.add(id);
			}
			else {
				sessions.put(id, session);
			}
		}
		if (!unusable.isEmpty()) {
			deleteHashes(unusable);
		}
		if (!stale.isEmpty() || !unusable.isEmpty()) {
			List<String> remove = new ArrayList<>(stale);
			remove.addAll(unusable);
			readIndex(principal, remove);
		}
		return sessions;
	}

	/**
	 * Revokes sessions of one principal: deletes their hashes, then their index entries (never the
	 * other way round: an entry removed first would hide a session that a failed {@code DEL} left
	 * working). Index entries whose hash is missing are pruned on read anyway.
	 * @return how many of them still existed
	 */
	int revoke(String principal, Collection<String> ids, RevocationReason reason) {
		if (ids.isEmpty()) {
			return 0;
		}
		int revoked = deleteHashes(List.copyOf(ids));
		this.metrics.revoked(reason, revoked);
		removeFromIndex(principal, ids.toArray(String[]::new));
		return revoked;
	}

	/** Reads a principal's index after pruning it and removing {@code remove}. */
	List<String> readIndex(String principal, List<String> remove) {
		List<?> ids = this.redis.execute(INDEX_READ, List.of(principalKey(principal)), remove.toArray());
		return asStrings(ids);
	}

	/** Deletes session hashes in one round trip; returns how many existed. */
	private int deleteHashes(List<String> ids) {
		Pipeline deletes = new Pipeline();
		for (String id : ids) {
			deletes.delete(sessionKey(id));
		}
		int deleted = 0;
		for (Object result : deletes.execute()) {
			deleted += (int) asLong(result);
		}
		return deleted;
	}

	/**
	 * Decodes a stored session; returns {@code null} when it is expired, past its absolute lifetime
	 * (counted) or does not decode (logged and counted). The caller deletes it.
	 */
	private @Nullable RedisPatternsSession usable(String id, Map<String, String> hash) {
		RedisPatternsSession session;
		try {
			session = decode(id, hash);
		}
		catch (RuntimeException ex) {
			this.metrics.decodeFailure();
			logger.warn("Session " + idHash(id) + " could not be decoded and is treated as absent: "
					+ describe(ex));
			return null;
		}
		Instant now = now();
		if (!expiry(session).isAfter(now)) {
			return null;
		}
		Duration absolute = this.settings.absoluteTimeout();
		if (absolute != null && !session.getCreationTime().plus(absolute).isAfter(now)) {
			this.metrics.revoked(RevocationReason.ABSOLUTE_TIMEOUT, 1);
			if (logger.isDebugEnabled()) {
				logger.debug("Session " + idHash(id) + " reached its absolute timeout of " + absolute);
			}
			return null;
		}
		return session;
	}

	private RedisPatternsSession decode(String id, Map<String, String> hash) {
		String version = hash.get(VERSION_FIELD);
		if (!FORMAT_VERSION.equals(version)) {
			throw new IllegalStateException("unsupported format version '" + version + "'");
		}
		MapSession cached = new MapSession(id);
		cached.setCreationTime(Instant.ofEpochMilli(Long.parseLong(required(hash, CREATED_FIELD))));
		cached.setLastAccessedTime(Instant.ofEpochMilli(Long.parseLong(required(hash, ACCESSED_FIELD))));
		cached.setMaxInactiveInterval(Duration.ofSeconds(Long.parseLong(required(hash, MAX_INACTIVE_FIELD))));
		for (Map.Entry<String, String> entry : hash.entrySet()) {
			if (entry.getKey().startsWith(ATTRIBUTE_PREFIX)) {
				String name = entry.getKey().substring(ATTRIBUTE_PREFIX.length());
				cached.setAttribute(name, this.codec.decode(entry.getValue()));
			}
		}
		return new RedisPatternsSession(cached, false, hash.get(PRINCIPAL_FIELD), hash.get(IP_FIELD),
				hash.get(USER_AGENT_FIELD));
	}

	private static void putOrRemove(Map<String, String> fields, List<String> removed, String field,
			@Nullable String value, boolean removeWhenNull) {
		if (value != null) {
			fields.put(field, value);
		}
		else if (removeWhenNull) {
			removed.add(field);
		}
	}

	private static String required(Map<String, String> hash, String field) {
		String value = hash.get(field);
		if (value == null) {
			throw new IllegalStateException("field '" + field + "' is missing");
		}
		return value;
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

	private static String describe(Throwable ex) {
		Throwable cause = (ex instanceof JsonCodecException && ex.getCause() != null) ? ex.getCause() : ex;
		String message = cause.getMessage();
		if (message != null) {
			int newline = message.indexOf('\n');
			message = (newline > 0) ? message.substring(0, newline) : message;
		}
		return cause.getClass().getSimpleName() + ": " + message;
	}

	Instant expiry(RedisPatternsSession session) {
		return session.getLastAccessedTime().plus(effectiveMaxInactive(session.getMaxInactiveInterval()));
	}

	Instant now() {
		return this.clock.instant();
	}

	private Duration effectiveMaxInactive(Duration interval) {
		return (interval.isNegative() || interval.isZero()) ? this.settings.defaultMaxInactiveInterval() : interval;
	}

	/**
	 * Returns the public, non-reversible form of a session id: the first 16 hex digits of its
	 * SHA-256. Used in logs and by {@link UserSessions}.
	 * @param sessionId the session id
	 * @return the id hash
	 */
	public static String idHash(String sessionId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static long asLong(@Nullable Object value) {
		return (value instanceof Number number) ? number.longValue() : 0L;
	}

	private static List<String> asStrings(@Nullable Object value) {
		if (!(value instanceof List<?> list)) {
			return List.of();
		}
		List<String> strings = new ArrayList<>(list.size());
		for (Object item : list) {
			if (item instanceof byte[] raw) {
				strings.add(new String(raw, StandardCharsets.UTF_8));
			}
			else if (item != null) {
				strings.add(item.toString());
			}
		}
		return strings;
	}

	private static Map<String, String> toStrings(@Nullable Object value) {
		if (!(value instanceof Map<?, ?> map)) {
			return Map.of();
		}
		Map<String, String> strings = new HashMap<>();
		map.forEach((k, v) -> strings.put(string(k), string(v)));
		return strings;
	}

	private static String string(@Nullable Object value) {
		return (value instanceof byte[] raw) ? new String(raw, StandardCharsets.UTF_8) : String.valueOf(value);
	}

	/**
	 * Commands sent together in one round trip, also on Cluster. With Lettuce they are written
	 * back-to-back on the application's shared connection and awaited together (Lettuce routes each to
	 * the node owning its key); Spring Data Redis's own pipelines would open a dedicated connection for
	 * every call. Other clients fall back to {@code executePipelined}. Scripts go as {@code EVALSHA};
	 * when a server answers {@code NOSCRIPT} (restart, failover, {@code SCRIPT FLUSH}) the batch is sent
	 * again with {@code EVAL}, which is safe because every command in it is idempotent.
	 */
	private final class Pipeline {

		private final List<Command> commands = new ArrayList<>();

		int delete(String key) {
			return add(new Command(Command.Kind.DEL, null, null, List.of(key), List.of()));
		}

		int hashGetAll(String key) {
			return add(new Command(Command.Kind.HGETALL, null, null, List.of(key), List.of()));
		}

		int script(RedisScript<?> script, ReturnType type, List<String> keys, List<String> args) {
			return add(new Command(Command.Kind.SCRIPT, script, type, keys, args));
		}

		private int add(Command command) {
			this.commands.add(command);
			return this.commands.size() - 1;
		}

		List<Object> execute() {
			if (this.commands.isEmpty()) {
				return List.of();
			}
			try {
				return send(false);
			}
			catch (RuntimeException ex) {
				if (!isNoScript(ex)) {
					throw ex;
				}
				return send(true);
			}
		}

		private List<Object> send(boolean eval) {
			RedisConnectionFactory factory = RedisPatternsSessionRepository.this.redis.getRequiredConnectionFactory();
			RedisConnection connection = RedisConnectionUtils.getConnection(factory);
			try {
				if (connection instanceof LettuceConnection lettuce && !lettuce.isPipelined()
						&& !lettuce.isQueueing()) {
					return sendAsync(lettuce.getNativeConnection(), eval, timeout(factory));
				}
			}
			finally {
				RedisConnectionUtils.releaseConnection(connection, factory);
			}
			return RedisPatternsSessionRepository.this.redis.executePipelined((RedisCallback<Object>) (pipelined) -> {
				for (Command command : this.commands) {
					command.send(pipelined, eval);
				}
				return null;
			});
		}

		private List<Object> sendAsync(RedisClusterAsyncCommands<byte[], byte[]> async, boolean eval,
				Duration timeout) {
			List<RedisFuture<?>> futures = new ArrayList<>(this.commands.size());
			for (Command command : this.commands) {
				futures.add(command.send(async, eval));
			}
			long deadline = System.nanoTime() + timeout.toNanos();
			List<Object> results = new ArrayList<>(futures.size());
			for (RedisFuture<?> future : futures) {
				try {
					results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new RedisSystemException("Interrupted while waiting for Redis", ex);
				}
				catch (ExecutionException ex) {
					Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
					DataAccessException translated = (cause instanceof Exception exception)
							? EXCEPTIONS.convert(exception) : null;
					throw (translated != null) ? translated
							: new RedisSystemException("Redis command failed: " + cause.getMessage(), cause);
				}
				catch (TimeoutException ex) {
					throw new QueryTimeoutException("Redis did not answer within " + timeout, ex);
				}
			}
			return results;
		}

		private static Duration timeout(RedisConnectionFactory factory) {
			return (factory instanceof LettuceConnectionFactory lettuce)
					? lettuce.getClientConfiguration().getCommandTimeout() : Duration.ofMinutes(1);
		}

		private static boolean isNoScript(Throwable ex) {
			for (Throwable t = ex; t != null; t = t.getCause()) {
				if (t.getMessage() != null && t.getMessage().contains("NOSCRIPT")) {
					return true;
				}
				if (t instanceof RedisPipelineException pipelineException) {
					for (Object result : pipelineException.getPipelineResult()) {
						if (result instanceof Throwable failure && failure.getMessage() != null
								&& failure.getMessage().contains("NOSCRIPT")) {
							return true;
						}
					}
				}
			}
			return false;
		}

	}

	private record Command(Kind kind, @Nullable RedisScript<?> script, @Nullable ReturnType type, List<String> keys,
			List<String> args) {

		enum Kind {

			DEL, HGETALL, SCRIPT

		}

		void send(RedisConnection connection, boolean eval) {
			switch (this.kind) {
				case DEL -> connection.keyCommands().del(bytes(this.keys.get(0)));
				case HGETALL -> connection.hashCommands().hGetAll(bytes(this.keys.get(0)));
				case SCRIPT -> {
					int keyCount = this.keys.size();
					byte[][] keysAndArgs = new byte[this.args.size() + keyCount][];
					for (int i = 0; i < keyCount; i++) {
						keysAndArgs[i] = bytes(this.keys.get(i));
					}
					for (int i = 0; i < this.args.size(); i++) {
						keysAndArgs[i + keyCount] = bytes(this.args.get(i));
					}
					RedisScript<?> redisScript = Objects.requireNonNull(this.script);
					ReturnType returnType = Objects.requireNonNull(this.type);
					if (eval) {
						connection.scriptingCommands()
							.eval(bytes(redisScript.getScriptAsString()), returnType, keyCount, keysAndArgs);
					}
					else {
						connection.scriptingCommands().evalSha(redisScript.getSha1(), returnType, keyCount, keysAndArgs);
					}
				}
			}
		}

		RedisFuture<?> send(RedisClusterAsyncCommands<byte[], byte[]> async, boolean eval) {
			byte[] keyBytes = bytes(this.keys.get(0));
			return switch (this.kind) {
				case DEL -> async.del(keyBytes);
				case HGETALL -> async.hgetall(keyBytes);
				case SCRIPT -> {
					byte[][] keys = new byte[this.keys.size()][];
					for (int i = 0; i < keys.length; i++) {
						keys[i] = bytes(this.keys.get(i));
					}
					byte[][] values = new byte[this.args.size()][];
					for (int i = 0; i < this.args.size(); i++) {
						values[i] = bytes(this.args.get(i));
					}
					RedisScript<?> redisScript = Objects.requireNonNull(this.script);
					ScriptOutputType output = (this.type == ReturnType.MULTI) ? ScriptOutputType.MULTI
							: ScriptOutputType.INTEGER;
					yield eval ? async.eval(redisScript.getScriptAsString(), output, keys, values)
							: async.evalsha(redisScript.getSha1(), output, keys, values);
				}
			};
		}

	}

	/**
	 * A session of {@link RedisPatternsSessionRepository}: Spring Session's {@link MapSession} plus
	 * what has changed since it was last written, its principal and the client captured at login.
	 */
	public final class RedisPatternsSession implements Session {

		private final MapSession cached;

		private final Map<String, @Nullable Object> delta = new HashMap<>();

		private boolean isNew;

		private boolean metaChanged;

		private String originalId;

		private @Nullable String storedPrincipal;

		private Instant storedLastAccessed;

		private @Nullable String clientIp;

		private @Nullable String userAgent;

		RedisPatternsSession(MapSession cached, boolean isNew, @Nullable String storedPrincipal,
				@Nullable String clientIp, @Nullable String userAgent) {
			this.cached = cached;
			this.isNew = isNew;
			this.originalId = cached.getId();
			this.storedPrincipal = storedPrincipal;
			this.storedLastAccessed = cached.getLastAccessedTime();
			this.clientIp = clientIp;
			this.userAgent = userAgent;
			if (!isNew && RedisPatternsSessionRepository.this.settings.saveMode() == SaveMode.ALWAYS) {
				for (String name : cached.getAttributeNames()) {
					this.delta.put(name, cached.getAttribute(name));
				}
			}
		}

		@Override
		public String getId() {
			return this.cached.getId();
		}

		@Override
		public String changeSessionId() {
			String id = newId(this.originalId);
			this.cached.setId(id);
			flushIfRequired();
			return id;
		}

		@Override
		public <T> @Nullable T getAttribute(String attributeName) {
			T value = this.cached.getAttribute(attributeName);
			if (value != null && RedisPatternsSessionRepository.this.settings.saveMode() == SaveMode.ON_GET_ATTRIBUTE) {
				this.delta.put(attributeName, value);
			}
			return value;
		}

		@Override
		public Set<String> getAttributeNames() {
			return this.cached.getAttributeNames();
		}

		@Override
		public void setAttribute(String attributeName, @Nullable Object attributeValue) {
			this.cached.setAttribute(attributeName, attributeValue);
			this.delta.put(attributeName, attributeValue);
			flushIfRequired();
		}

		@Override
		public void removeAttribute(String attributeName) {
			setAttribute(attributeName, null);
		}

		@Override
		public Instant getCreationTime() {
			return this.cached.getCreationTime();
		}

		@Override
		public void setLastAccessedTime(Instant lastAccessedTime) {
			this.cached.setLastAccessedTime(lastAccessedTime);
		}

		@Override
		public Instant getLastAccessedTime() {
			return this.cached.getLastAccessedTime();
		}

		@Override
		public void setMaxInactiveInterval(Duration interval) {
			this.cached.setMaxInactiveInterval(interval);
			this.metaChanged = true;
			flushIfRequired();
		}

		@Override
		public Duration getMaxInactiveInterval() {
			return this.cached.getMaxInactiveInterval();
		}

		@Override
		public boolean isExpired() {
			return !expiry(this).isAfter(now());
		}

		/**
		 * Returns the principal name this session is indexed under, as last stored.
		 * @return the principal name, or {@code null} before login
		 */
		public @Nullable String getPrincipalName() {
			return this.storedPrincipal;
		}

		/**
		 * Returns the client address captured when the session logged in.
		 * @return the address, or {@code null} when unknown
		 */
		public @Nullable String getClientIp() {
			return this.clientIp;
		}

		/**
		 * Returns the {@code User-Agent} captured when the session logged in.
		 * @return the user agent, or {@code null} when unknown
		 */
		public @Nullable String getUserAgent() {
			return this.userAgent;
		}

		void flushIfRequired() {
			if (RedisPatternsSessionRepository.this.settings.flushMode() == FlushMode.IMMEDIATE) {
				save(this);
			}
		}

		void markSaved(@Nullable String principal, @Nullable String ip, @Nullable String agent) {
			this.isNew = false;
			this.metaChanged = false;
			this.originalId = getId();
			this.storedPrincipal = principal;
			this.storedLastAccessed = getLastAccessedTime();
			this.clientIp = ip;
			this.userAgent = agent;
			this.delta.clear();
		}

	}

}
