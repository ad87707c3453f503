package io.redispatterns.session.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.session.MapSession;
import org.springframework.session.SaveMode;
import org.springframework.session.Session;

/**
 * Spring Session's {@link MapSession} plus what has changed since it was last written, its principal
 * and the client captured at login: the state of a
 * {@link RedisPatternsSessionRepository.RedisPatternsSession}, which adds how it is saved.
 */
abstract class TrackedSession implements Session {

	final MapSession cached;

	final Map<String, @Nullable Object> delta = new HashMap<>();

	boolean isNew;

	boolean metaChanged;

	String originalId;

	@Nullable String storedPrincipal;

	Instant storedLastAccessed;

	@Nullable String clientIp;

	@Nullable String userAgent;

	private final SaveMode saveMode;

	TrackedSession(MapSession cached, boolean isNew, @Nullable String storedPrincipal, @Nullable String clientIp,
			@Nullable String userAgent, SaveMode saveMode) {
		this.saveMode = saveMode;
		this.cached = cached;
		this.isNew = isNew;
		this.originalId = cached.getId();
		this.storedPrincipal = storedPrincipal;
		this.storedLastAccessed = cached.getLastAccessedTime();
		this.clientIp = clientIp;
		this.userAgent = userAgent;
		if (!isNew && this.saveMode == SaveMode.ALWAYS) {
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
		if (value != null && this.saveMode == SaveMode.ON_GET_ATTRIBUTE) {
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

	/** Saves the session now when the flush mode is {@code IMMEDIATE}. */
	abstract void flushIfRequired();

	/** Returns a new id in the lineage of {@code id}. */
	abstract String newId(String id);

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
