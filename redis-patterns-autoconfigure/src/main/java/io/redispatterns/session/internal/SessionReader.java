package io.redispatterns.session.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.RedisBatch;
import io.redispatterns.session.RevocationReason;
import io.redispatterns.session.SessionMetrics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Loads sessions by id and by principal. A stored session that does not decode (unknown format
 * version, malformed field, attribute JSON naming a class outside the allow-list) is logged with a
 * hash of its id, counted, deleted and treated as absent, so the client gets a new session rather
 * than an error.
 */
final class SessionReader {

	private static final Log logger = LogFactory.getLog(RedisPatternsSessionRepository.class);

	private final RedisPatternsSessionRepository repository;

	private final StringRedisTemplate redis;

	private final SessionKeys keys;

	private final SessionHashFormat format;

	private final PrincipalIndex index;

	private final SessionMetrics metrics;

	SessionReader(RedisPatternsSessionRepository repository, StringRedisTemplate redis, SessionKeys keys,
			SessionHashFormat format, PrincipalIndex index, SessionMetrics metrics) {
		this.repository = repository;
		this.redis = redis;
		this.keys = keys;
		this.format = format;
		this.index = index;
		this.metrics = metrics;
	}

	RedisPatternsSessionRepository.@Nullable RedisPatternsSession read(String id) {
		RedisBatch batch = new RedisBatch(this.redis.getRequiredConnectionFactory());
		batch.hashGetAll(this.keys.session(id));
		Map<String, String> hash = SessionHashFormat.toStrings(batch.execute().get(0));
		if (hash.isEmpty()) {
			return null;
		}
		RedisPatternsSessionRepository.RedisPatternsSession session = usable(id, hash);
		if (session == null) {
			this.repository.delete(id);
		}
		return session;
	}

	Map<String, RedisPatternsSessionRepository.RedisPatternsSession> findByPrincipal(String principal) {
		List<String> ids = this.index.members(principal);
		if (ids.isEmpty()) {
			return Collections.emptyMap();
		}
		RedisBatch reads = new RedisBatch(this.redis.getRequiredConnectionFactory());
		for (String id : ids) {
			reads.hashGetAll(this.keys.session(id));
		}
		List<Object> hashes = reads.execute();
		Map<String, RedisPatternsSessionRepository.RedisPatternsSession> sessions = new LinkedHashMap<>();
		List<String> stale = new ArrayList<>();
		List<String> unusable = new ArrayList<>();
		for (int i = 0; i < ids.size(); i++) {
			String id = ids.get(i);
			Map<String, String> hash = SessionHashFormat.toStrings(hashes.get(i));
			if (hash.isEmpty()) {
				stale.add(id);
				continue;
			}
			RedisPatternsSessionRepository.RedisPatternsSession session = usable(id, hash);
			if (session == null) {
				unusable.add(id);
			}
			else if (!principal.equals(session.getPrincipalName())) {
				stale.add(id);
			}
			else {
				sessions.put(id, session);
			}
		}
		if (!unusable.isEmpty()) {
			this.index.deleteHashes(unusable);
		}
		if (!stale.isEmpty() || !unusable.isEmpty()) {
			List<String> remove = new ArrayList<>(stale);
			remove.addAll(unusable);
			this.index.remove(principal, remove);
		}
		return sessions;
	}

	/**
	 * Decodes a stored session; returns {@code null} when it is expired, past its absolute lifetime
	 * (counted) or does not decode (logged and counted). The caller deletes it.
	 */
	private RedisPatternsSessionRepository.@Nullable RedisPatternsSession usable(String id, Map<String, String> hash) {
		RedisPatternsSessionRepository.RedisPatternsSession session;
		try {
			session = this.repository.restore(this.format.decode(id, hash));
		}
		catch (RuntimeException ex) {
			this.metrics.decodeFailure();
			logger.warn("Session " + SessionFailures.idHash(id) + " could not be decoded and is treated as absent: "
					+ SessionFailures.describe(ex));
			return null;
		}
		Instant now = this.repository.now();
		if (!this.repository.expiry(session).isAfter(now)) {
			return null;
		}
		Duration absolute = this.repository.settings().absoluteTimeout();
		if (absolute != null && !session.getCreationTime().plus(absolute).isAfter(now)) {
			this.metrics.revoked(RevocationReason.ABSOLUTE_TIMEOUT, 1);
			if (logger.isDebugEnabled()) {
				logger.debug("Session " + SessionFailures.idHash(id) + " reached its absolute timeout of " + absolute);
			}
			return null;
		}
		return session;
	}

}
