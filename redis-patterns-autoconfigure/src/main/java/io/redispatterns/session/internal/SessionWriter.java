package io.redispatterns.session.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.redispatterns.core.LuaScript;
import io.redispatterns.core.RedisBatch;
import io.redispatterns.core.ScriptResult;
import io.redispatterns.session.SessionMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.session.DelegatingIndexResolver;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.IndexResolver;
import org.springframework.session.PrincipalNameIndexResolver;
import org.springframework.session.Session;

import static io.redispatterns.session.internal.SessionHashFormat.ACCESSED_FIELD;
import static io.redispatterns.session.internal.SessionHashFormat.CREATED_FIELD;
import static io.redispatterns.session.internal.SessionHashFormat.FORMAT_VERSION;
import static io.redispatterns.session.internal.SessionHashFormat.IP_FIELD;
import static io.redispatterns.session.internal.SessionHashFormat.MAX_INACTIVE_FIELD;
import static io.redispatterns.session.internal.SessionHashFormat.PRINCIPAL_FIELD;
import static io.redispatterns.session.internal.SessionHashFormat.USER_AGENT_FIELD;
import static io.redispatterns.session.internal.SessionHashFormat.VERSION_FIELD;

/**
 * Saves sessions: one script on the session's slot per save, with the principal-index script sent
 * in the same round trip only when the index changes (login, logout, id change, a new idle timeout)
 * or the session's index lease is due for renewal (see {@link PrincipalIndex}).
 */
final class SessionWriter {

	private static final Log logger = LogFactory.getLog(RedisPatternsSessionRepository.class);

	private static final LuaScript<Long> SAVE = LuaScript.load(SessionMetrics.class, "save.lua", ScriptResult.LONG);

	/**
	 * A new session's hash and expiry: a script of its own that takes only the time to live and the fields (Redis
	 * pays for every argument passed into Lua), where {@link #SAVE} also takes a mode, tombstone arguments and a
	 * field count.
	 */
	private static final LuaScript<Long> CREATE = LuaScript.load(SessionMetrics.class, "create.lua",
			ScriptResult.LONG);

	/** Longest time a tombstone of a moved session id is kept (to recognise a re-sent move). */
	private static final Duration MAX_TOMBSTONE_TTL = Duration.ofMinutes(10);

	private final RedisPatternsSessionRepository repository;

	private final StringRedisTemplate redis;

	private final SessionKeys keys;

	private final SessionHashFormat format;

	private final PrincipalIndex index;

	private final IndexResolver<Session> indexResolver = new DelegatingIndexResolver<>(
			new PrincipalNameIndexResolver<>());

	SessionWriter(RedisPatternsSessionRepository repository, StringRedisTemplate redis, SessionKeys keys,
			SessionHashFormat format, PrincipalIndex index) {
		this.repository = repository;
		this.redis = redis;
		this.keys = keys;
		this.format = format;
		this.index = index;
	}

	void write(RedisPatternsSessionRepository.RedisPatternsSession session) {
		if (session.isNew && session.getAttributeNames().isEmpty()) {
			// A new session that holds nothing is not worth a key: writing it would let every
			// cookie-less request (a crawler, a health probe, a flood) add one to Redis. It is
			// written by the first save after something is stored in it.
			return;
		}
		String principal = this.indexResolver.resolveIndexesFor(session)
			.get(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME);
		boolean idChanged = !session.getId().equals(session.originalId);
		boolean full = session.isNew || idChanged;
		boolean principalChanged = !Objects.equals(principal, session.storedPrincipal);
		Duration sinceWritten = Duration.between(session.storedLastAccessed, session.getLastAccessedTime());
		boolean touch = sinceWritten.compareTo(this.repository.settings().touchInterval()) >= 0;
		if (!full && !principalChanged && !session.metaChanged && session.delta.isEmpty() && !touch) {
			return;
		}
		Instant expiry = this.repository.expiry(session);
		long ttl = Duration.between(this.repository.now(), expiry).toMillis();
		if (ttl <= 0) {
			return;
		}
		Map<String, String> fields = new LinkedHashMap<>();
		List<String> removed = new ArrayList<>();
		String clientIp = session.clientIp;
		String userAgent = session.userAgent;
		collectFields(session, full, fields, removed);
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

		RedisBatch batch = new RedisBatch(this.redis.getRequiredConnectionFactory());
		// a new session (whether or not its id changed before this first save) is written under its current id and
		// has no stored field to remove
		int saveResult = session.isNew
				? batch.script(CREATE, List.of(this.keys.session(session.getId())), createArgs(ttl, fields))
				: batch.script(SAVE, saveKeys(session, idChanged), saveArgs(session, idChanged, ttl, fields, removed));
		String previousId = (idChanged && !session.isNew) ? session.originalId : "";
		long period = PrincipalIndex.refreshPeriod(this.repository.effectiveMaxInactive(session.getMaxInactiveInterval()));
		boolean indexDue = principal != null && (full || principalChanged || session.metaChanged
				|| PrincipalIndex.renewalDue(storedExpiry(session), expiry, period));
		int indexResult = -1;
		// principal != null repeats part of indexDue for NullAway, which does not follow booleans
		if (indexDue && principal != null) {
			indexResult = this.index.update(batch, principal, session.getId(), ttl, period,
					principalChanged ? "" : previousId);
		}
		List<Object> results = batch.execute();

		boolean written = results.get(saveResult) instanceof Number number && number.longValue() == 1L;
		String formerPrincipal = session.storedPrincipal;
		String formerId = session.originalId;
		session.markSaved(principal, clientIp, userAgent);
		if (!written) {
			if (logger.isDebugEnabled()) {
				logger.debug("Session " + SessionFailures.idHash(session.getId()) + " was not saved: it was deleted, "
						+ "revoked, expired or moved to another id meanwhile");
			}
			if (principal != null) {
				this.index.remove(principal, List.of(session.getId()));
			}
			return;
		}
		// Index members are removed only now that the hashes they point to are gone (the old hash
		// was deleted in the batch above): a failure in between leaves an entry that readers prune,
		// never a live session missing from its principal's index.
		if (principalChanged && formerPrincipal != null) {
			this.index.remove(formerPrincipal, List.of(formerId));
		}
		if (indexDue && principal != null) {
			List<String> removable = new ArrayList<>();
			if (!principalChanged && !previousId.isEmpty()) {
				removable.add(previousId);
			}
			removable.addAll(this.index.enforceLimit(PrincipalIndex.asStrings(results.get(indexResult))));
			this.index.remove(principal, removable);
		}
	}

	/** The expiry the session's hash was last written with. */
	private Instant storedExpiry(RedisPatternsSessionRepository.RedisPatternsSession session) {
		return session.storedLastAccessed
			.plus(this.repository.effectiveMaxInactive(session.getMaxInactiveInterval()));
	}

	private void collectFields(RedisPatternsSessionRepository.RedisPatternsSession session, boolean full,
			Map<String, String> fields, List<String> removed) {
		fields.put(ACCESSED_FIELD, Long.toString(session.getLastAccessedTime().toEpochMilli()));
		if (full) {
			fields.put(VERSION_FIELD, FORMAT_VERSION);
			fields.put(CREATED_FIELD, Long.toString(session.getCreationTime().toEpochMilli()));
			fields.put(MAX_INACTIVE_FIELD, Long.toString(session.getMaxInactiveInterval().toSeconds()));
			for (String name : session.getAttributeNames()) {
				Object value = session.cached.getAttribute(name);
				if (value != null) {
					fields.put(this.format.attributeField(name), this.format.encodeAttribute(session.getId(), name, value));
				}
			}
			return;
		}
		if (session.metaChanged) {
			fields.put(MAX_INACTIVE_FIELD, Long.toString(session.getMaxInactiveInterval().toSeconds()));
		}
		session.delta.forEach((name, value) -> {
			if (value != null) {
				fields.put(this.format.attributeField(name), this.format.encodeAttribute(session.getId(), name, value));
			}
			else {
				removed.add(this.format.attributeField(name));
			}
		});
	}

	private List<String> saveKeys(RedisPatternsSessionRepository.RedisPatternsSession session, boolean idChanged) {
		boolean move = idChanged && !session.isNew;
		return move ? List.of(this.keys.session(session.getId()), this.keys.session(session.originalId),
				this.keys.tombstone(session.originalId)) : List.of(this.keys.session(session.getId()));
	}

	private static List<String> createArgs(long ttl, Map<String, String> fields) {
		List<String> args = new ArrayList<>(1 + 2 * fields.size());
		args.add(Long.toString(ttl));
		fields.forEach((field, value) -> {
			args.add(field);
			args.add(value);
		});
		return args;
	}

	private static List<String> saveArgs(RedisPatternsSessionRepository.RedisPatternsSession session,
			boolean idChanged, long ttl, Map<String, String> fields, List<String> removed) {
		boolean move = idChanged && !session.isNew;
		List<String> args = new ArrayList<>(5 + 2 * fields.size() + removed.size());
		args.add(move ? "move" : "update");
		args.add(Long.toString(ttl));
		args.add(move ? session.getId() : "");
		args.add(Long.toString(Math.min(ttl, MAX_TOMBSTONE_TTL.toMillis())));
		args.add(Integer.toString(fields.size()));
		fields.forEach((field, value) -> {
			args.add(field);
			args.add(value);
		});
		args.addAll(removed);
		return args;
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

}
